using Thoras.Domain.Targets;

namespace Thoras.Domain.Enrollment;

/// <summary>The durable records of enrolled targets (Table Storage in production), with optimistic concurrency.</summary>
/// <example>
/// <code>
/// var record = await store.GetAsync(key, ct) ?? new EnrolledTarget { Key = key, Uid = uid, EnrolledAt = now };
/// record = await store.SaveAsync(record with { Horizontal = floor }, ct); // throws EnrollmentConflictException if changed meanwhile
/// </code>
/// </example>
public interface IEnrollmentStore
{
    /// <summary>The record at <paramref name="key"/>, or null. It may belong to an older target of the same name: compare UIDs.</summary>
    Task<EnrolledTarget?> GetAsync(TargetKey key, CancellationToken cancellationToken);

    /// <summary>Every record, ordered by namespace and name.</summary>
    Task<IReadOnlyList<EnrolledTarget>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the record (when <see cref="EnrolledTarget.ETag"/> is null) or replaces it if unchanged since it was read,
    /// and returns it with its new ETag. Throws <see cref="EnrollmentConflictException"/> when another writer got there first.
    /// </summary>
    Task<EnrolledTarget> SaveAsync(EnrolledTarget target, CancellationToken cancellationToken);

    /// <summary>Deletes the record of <paramref name="key"/> if it still has <paramref name="uid"/>. Deleting a missing record is not an error.</summary>
    Task DeleteAsync(TargetKey key, string uid, CancellationToken cancellationToken);
}

/// <summary>A save lost a race with another writer: re-read the record and decide again.</summary>
public sealed class EnrollmentConflictException : Exception
{
    public EnrollmentConflictException()
    {
    }

    public EnrollmentConflictException(string message)
        : base(message)
    {
    }

    public EnrollmentConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
