using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>Read-change-write over <see cref="IEnrollmentStore"/> that survives concurrent writers (the apply stage).</summary>
public static class EnrollmentStoreExtensions
{
    /// <summary>How often a change is re-read and retried after losing a race.</summary>
    public const int MaxAttempts = 20;

    /// <summary>
    /// Applies <paramref name="change"/> to the current record of <paramref name="key"/> with <paramref name="uid"/>
    /// and saves it; on a conflict re-reads and applies it again. <paramref name="change"/> must have no side effects.
    /// Returns null (and writes nothing) when there is no such record.
    /// </summary>
    public static async Task<EnrolledTarget?> UpdateAsync(
        this IEnrollmentStore store, TargetKey key, string uid, Func<EnrolledTarget, EnrolledTarget> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(key, cancellationToken);
            if (current is null || current.Uid != uid)
                return null;
            var next = change(current);
            if (next == current)
                return current;
            try
            {
                return await store.SaveAsync(next, cancellationToken);
            }
            catch (EnrollmentConflictException) when (attempt < MaxAttempts)
            {
                // Another writer got there first: read its version and apply the change to it, after a short random
                // pause so many writers do not retry in lock step.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, Math.Min(100, 5 * attempt))), cancellationToken);
            }
        }
    }
}
