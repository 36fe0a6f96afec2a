using ThingLedger.Node.Explorer;

namespace ThingLedger.Node.Tests.Explorer;

public class FmtTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(1234.4, "1,234")]
    [InlineData(12.6, "13")]
    [InlineData(3.25, "3.3")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.0034, "0.0034")]
    [InlineData(0.000123, "0.00012")]
    [InlineData(-0.02, "-0.02")]
    public void A_chart_axis_shows_small_values_at_their_scale(double value, string shown) => Assert.Equal(shown, Fmt.Axis(value));
}
