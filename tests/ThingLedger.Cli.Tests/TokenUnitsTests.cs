using ThingLedger.Client;

namespace ThingLedger.Cli.Tests;

public class TokenUnitsTests
{
    [Theory]
    [InlineData("0", 0, "0")]
    [InlineData("1000", 0, "1000")]
    [InlineData("12345", 2, "123.45")]
    [InlineData("5", 3, "0.005")]
    [InlineData("0", 6, "0.000000")]
    [InlineData("340282366920938463463374607431768211455", 18, "340282366920938463463.374607431768211455")]
    [InlineData("not-an-amount", 2, "not-an-amount")]
    public void Smallest_units_read_as_the_tokens_units(string smallest, byte decimals, string shown) =>
        Assert.Equal(shown, TokenUnits.Format(smallest, decimals));
}
