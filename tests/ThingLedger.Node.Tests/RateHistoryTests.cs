using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Tests;

public sealed class RateHistoryTests
{
    [Fact]
    public void Rates_are_the_counter_differences_over_each_interval_oldest_first()
    {
        var history = new RateHistory();
        Assert.Empty(history.Points());
        history.Record(10_000, 100, 0);
        history.Record(12_000, 300, 50);
        history.Record(14_000, 300, 51);

        var points = history.Points();
        Assert.Equal([(12_000L, 100.0, 25.0), (14_000L, 0.0, 0.5)], points.Select(p => (p.Time, p.TxPerSecond, p.ReadingsPerSecond)));
    }

    [Fact]
    public void Only_the_last_ten_minutes_are_kept()
    {
        var history = new RateHistory();
        for (var i = 0; i < RateHistory.Capacity * 3; i++)
        {
            history.Record(i * RateHistory.SampleSeconds * 1_000L, i * 10L, i);
        }
        var points = history.Points();
        Assert.Equal(RateHistory.Capacity, points.Count);
        Assert.Equal((RateHistory.Capacity * 3 - 1) * RateHistory.SampleSeconds * 1_000L, points[^1].Time);
        Assert.All(points, p => Assert.Equal(10.0 / RateHistory.SampleSeconds, p.TxPerSecond));
    }
}
