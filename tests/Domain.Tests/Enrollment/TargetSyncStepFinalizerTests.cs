using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Enrollment;

/// <summary>The sync step over an in-memory enrollment store and strict mocks: the finalizer, and what a tick costs for targets that did not change.</summary>
public sealed class TargetSyncStepFinalizerTests
{
    private static readonly TargetKey Key = new("shop", "web");
    private readonly Mock<ITargetCluster> _targets = new(MockBehavior.Strict);
    private readonly Mock<IModeWriter> _writer = new(MockBehavior.Strict);
    private readonly Mock<ICleanupCluster> _cleanup = new(MockBehavior.Strict);
    private readonly Mock<IAuditLog> _audit = new(MockBehavior.Strict);
    private readonly MemoryEnrollmentStore _store = new();
    private readonly FakeTimeProvider _time = new(TargetBuilder.Now);

    private TargetSyncStep Step()
    {
        var outbox = new EnrollmentOutbox(_store, _audit.Object);
        var revert = new WorkloadRevert(_cleanup.Object, _store, _time);
        var unenrollment = new Unenrollment(_targets.Object, _cleanup.Object, _store, revert, Mock.Of<ITargetDataPurger>(), _audit.Object, outbox, _time);
        var modes = new ModeSwitch(_targets.Object, _writer.Object, _store, revert, unenrollment, outbox, _time);
        return new TargetSyncStep(_targets.Object, _store, modes, unenrollment, _cleanup.Object, outbox);
    }

    private void Listing(AIScaleTarget target) =>
        _targets.Setup(t => t.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TargetListing([target], []));

    private static AIScaleTarget Enrolled(bool finalizer)
    {
        var target = TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build();
        return finalizer ? target with { Metadata = target.Metadata with { Finalizers = [AIScaleTarget.CleanupFinalizer] } } : target;
    }

    [Fact]
    public async Task RunAsync_EnrolledTargetWithItsFinalizer_NoRequestAndNoWrite()
    {
        Listing(Enrolled(finalizer: true));
        _store.Seed(new EnrolledTarget { Key = Key, Uid = "uid-web", EnrolledAt = TargetBuilder.Now, VerticalMode = TargetMode.Autonomous });

        var summary = await Step().RunAsync(CancellationToken.None);

        // The strict mocks allow the listing only: no finalizer read or patch, no mode write, no audit.
        Assert.Equal(0, _store.Writes);
        Assert.StartsWith("1 targets: 0 enrolled, 0 finalizers added, 0 mode edits adopted", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TargetWithoutTheFinalizer_AddsIt()
    {
        Listing(Enrolled(finalizer: false));
        _store.Seed(new EnrolledTarget { Key = Key, Uid = "uid-web", EnrolledAt = TargetBuilder.Now, VerticalMode = TargetMode.Autonomous });
        _targets.Setup(t => t.AddFinalizerAsync(Key, "uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var summary = await Step().RunAsync(CancellationToken.None);

        _targets.Verify(t => t.AddFinalizerAsync(Key, "uid-web", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains("1 finalizers added", summary, StringComparison.Ordinal);
    }
}
