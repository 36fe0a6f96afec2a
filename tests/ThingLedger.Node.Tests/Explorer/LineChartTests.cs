namespace ThingLedger.Node.Tests.Explorer;

public class LineChartTests
{
    [Fact]
    public void A_rate_chart_is_scaled_to_the_usual_rate_not_to_a_start_up_burst()
    {
        List<double> rates = [4000, 3500, .. Enumerable.Repeat(40.0, 60)];
        Assert.Equal(60, ThingLedger.Node.Explorer.Shared.LineChart.TopOf(rates, fromZero: true, clipPeaks: true));
        Assert.Equal(4000, ThingLedger.Node.Explorer.Shared.LineChart.TopOf(rates, fromZero: true, clipPeaks: false));
        Assert.Equal(1, ThingLedger.Node.Explorer.Shared.LineChart.TopOf([0, 0, 0.2], fromZero: true, clipPeaks: true));
        Assert.Equal(0.05, ThingLedger.Node.Explorer.Shared.LineChart.TopOf([0.01, 0.05, 0.02], fromZero: false, clipPeaks: false));
    }
}
