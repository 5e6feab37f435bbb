using Thoras.Infrastructure.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class StorageNamesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("aVeryLongPrefixThatGoesOnAndOnBeyondFortyChars")]
    public void Constructor_InvalidPrefix_ThrowsWithRule(string prefix)
    {
        var ex = Assert.Throws<ArgumentException>(() => new StorageNames(prefix));

        Assert.Contains("letters or digits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_ValidPrefix_DeriveTableAndContainerNames()
    {
        var names = new StorageNames("thorasDev");

        Assert.Equal("thorasDevAudit", names.AuditTable);
        Assert.Equal("thorasDevTargets", names.Table("Targets"));
        Assert.Equal("thorasdev-models", names.Container("models"));
    }
}
