using System.Text.Json;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class QuantityTests
{
    [Theory]
    [InlineData("100m", "100m")]
    [InlineData("1000m", "1")]
    [InlineData("1500m", "1500m")]
    [InlineData("0.5", "500m")]
    [InlineData("1.5", "1500m")]
    [InlineData(".5", "500m")]
    [InlineData("1.", "1")]
    [InlineData("0.1", "100m")]
    [InlineData("2", "2")]
    [InlineData("1000", "1k")]
    [InlineData("1024", "1024")]
    [InlineData("1k", "1k")]
    [InlineData("1500k", "1500k")]
    [InlineData("1M", "1M")]
    [InlineData("1G", "1G")]
    [InlineData("2T", "2T")]
    [InlineData("1n", "1n")]
    [InlineData("0.1n", "1n")]
    [InlineData("1u", "1u")]
    [InlineData("0.0015", "1500u")]
    [InlineData("1Ki", "1Ki")]
    [InlineData("0.5Ki", "512")]
    [InlineData("1.5Ki", "1536")]
    [InlineData("128Mi", "128Mi")]
    [InlineData("512Mi", "512Mi")]
    [InlineData("1024Mi", "1Gi")]
    [InlineData("1536Mi", "1536Mi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("2Gi", "2Gi")]
    [InlineData("1Ti", "1Ti")]
    [InlineData("1Ei", "1Ei")]
    [InlineData("1024Ei", "1024Ei")]
    [InlineData("1e3", "1e3")]
    [InlineData("1.5e3", "1500")]
    [InlineData("12E6", "12e6")]
    [InlineData("1e-3", "1e-3")]
    [InlineData("0", "0")]
    [InlineData("0Mi", "0")]
    [InlineData("-1", "-1")]
    [InlineData("-1Ki", "-1Ki")]
    [InlineData("+250m", "250m")]
    public void ToString_ParsedQuantity_IsTheCanonicalForm(string text, string canonical)
    {
        var quantity = Quantity.Parse(text);

        Assert.Equal(canonical, quantity.ToString());
    }

    [Theory]
    [InlineData("250m")]
    [InlineData("1")]
    [InlineData("512Mi")]
    [InlineData("2Gi")]
    [InlineData("1500k")]
    [InlineData("1e3")]
    [InlineData("1n")]
    public void Parse_CanonicalText_RoundTripsExactly(string canonical)
    {
        var roundTripped = Quantity.Parse(Quantity.Parse(canonical).ToString()).ToString();

        Assert.Equal(canonical, roundTripped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("m")]
    [InlineData("1.2.3")]
    [InlineData("1Kib")]
    [InlineData("1 Gi")]
    [InlineData(" 1")]
    [InlineData("1e")]
    [InlineData("1e999")]
    [InlineData("--1")]
    [InlineData("1mi")]
    [InlineData("1K")]
    public void Parse_NotAQuantity_ThrowsWithExamples(string text)
    {
        var error = Assert.Throws<FormatException>(() => Quantity.Parse(text));

        Assert.Equal($"'{text}' is not a Kubernetes quantity (examples: 250m, 1, 1.5, 512Mi, 2Gi)", error.Message);
    }

    [Theory]
    [InlineData("1Gi", "1073741824")]
    [InlineData("1", "1000m")]
    [InlineData("1k", "1e3")]
    public void Equals_SameAmountInAnotherFormat_IsEqual(string left, string right)
    {
        Assert.Equal(Quantity.Parse(left), Quantity.Parse(right));
    }

    [Fact]
    public void CompareTo_MilliCoresAndCores_OrdersByAmount()
    {
        Assert.True(Quantity.Parse("500m") < Quantity.Parse("1"));
    }

    [Fact]
    public void Amount_BinaryQuantity_IsInBytes()
    {
        Assert.Equal(1_610_612_736m, Quantity.Parse("1.5Gi").Amount);
    }

    [Fact]
    public void FromAmount_FractionOfANano_RoundsUp()
    {
        var quantity = Quantity.FromAmount(0.2500000001m, QuantityFormat.DecimalSI);

        Assert.Equal("250000001n", quantity.ToString());
    }

    [Fact]
    public void FromAmount_BinaryBytes_PrintsWithBinarySuffix()
    {
        var quantity = Quantity.FromAmount(268_435_456d, QuantityFormat.BinarySI);

        Assert.Equal("256Mi", quantity.ToString());
    }

    [Fact]
    public void Deserialize_JsonInteger_IsAQuantity()
    {
        var quantity = JsonSerializer.Deserialize<Quantity>("2");

        Assert.Equal(Quantity.Parse("2"), quantity);
    }

    [Fact]
    public void Serialize_Quantity_WritesCanonicalString()
    {
        var json = JsonSerializer.Serialize(Quantity.Parse("1024Mi"));

        Assert.Equal("\"1Gi\"", json);
    }
}
