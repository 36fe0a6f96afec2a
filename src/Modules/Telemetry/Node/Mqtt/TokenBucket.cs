using System.Diagnostics;

namespace ThingLedger.Node.Telemetry.Mqtt;

/// <summary>A token bucket: <c>rate</c> tokens a second, at most <c>burst</c> saved up.</summary>
internal sealed class TokenBucket(double rate, int burst)
{
    private double _tokens = burst;
    private long _at = Stopwatch.GetTimestamp();

    public bool TryTake(long now, out long waitMs)
    {
        lock (this)
        {
            _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_at, now).TotalSeconds * rate));
            _at = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                waitMs = 0;
                return true;
            }
            waitMs = (long)Math.Ceiling((1 - _tokens) / rate * 1000);
            return false;
        }
    }
}
