using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ThingLedger.Node.Chain;

/// <summary>Counters and gauges of the node, rendered in the Prometheus text format at /metrics.</summary>
public sealed class NodeMetrics
{
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private long _admitted;
    private long _committedTxs;
    private long _failedTxs;
    private long _blocks;
    private long _height;
    private long _commitMicros;
    private long _lastBlockTimestamp;
    private long _readingsAccepted;
    private long _readingsDuplicate;
    private long _readingsRejected;

    public long CommittedTxs => Interlocked.Read(ref _committedTxs);

    public void CountAdmission(string? code)
    {
        if (code is null)
        {
            Interlocked.Increment(ref _admitted);
        }
        else
        {
            _rejections.AddOrUpdate(code, 1, static (_, n) => n + 1);
        }
    }

    public void CountBlock(ulong height, ulong timestamp, int txs, int failed, TimeSpan commitTime)
    {
        Interlocked.Increment(ref _blocks);
        Interlocked.Add(ref _committedTxs, txs);
        Interlocked.Add(ref _failedTxs, failed);
        Interlocked.Exchange(ref _height, (long)height);
        Interlocked.Exchange(ref _lastBlockTimestamp, (long)timestamp);
        Interlocked.Add(ref _commitMicros, (long)commitTime.TotalMicroseconds);
    }

    /// <summary>Readings accepted since start (for readings/s).</summary>
    public long ReadingsAccepted => Interlocked.Read(ref _readingsAccepted);

    public void CountReadings(int accepted, int duplicates, int rejected)
    {
        Interlocked.Add(ref _readingsAccepted, accepted);
        Interlocked.Add(ref _readingsDuplicate, duplicates);
        Interlocked.Add(ref _readingsRejected, rejected);
    }

    public string Render(int pendingTxs, int stateKeys)
    {
        var text = new StringBuilder();
        Metric(text, "thingledger_block_height", "gauge", "Height of the newest committed block.", Interlocked.Read(ref _height));
        Metric(text, "thingledger_block_timestamp_ms", "gauge", "Timestamp of the newest committed block (ms since the Unix epoch).", Interlocked.Read(ref _lastBlockTimestamp));
        Metric(text, "thingledger_blocks_committed_total", "counter", "Blocks committed since start.", Interlocked.Read(ref _blocks));
        Metric(text, "thingledger_txs_committed_total", "counter", "Txs committed since start (successful and failed).", Interlocked.Read(ref _committedTxs));
        Metric(text, "thingledger_txs_failed_total", "counter", "Committed txs whose execution failed.", Interlocked.Read(ref _failedTxs));
        Metric(text, "thingledger_txs_admitted_total", "counter", "Txs accepted by admission since start.", Interlocked.Read(ref _admitted));
        Metric(text, "thingledger_block_commit_seconds_total", "counter", "Time spent executing and committing blocks.", Interlocked.Read(ref _commitMicros) / 1e6);
        Metric(text, "thingledger_txs_pending", "gauge", "Txs admitted and waiting for a block.", pendingTxs);
        Metric(text, "thingledger_state_keys", "gauge", "Keys in the authenticated state.", stateKeys);
        Metric(text, "thingledger_readings_accepted_total", "counter", "Readings accepted and stored since start.", Interlocked.Read(ref _readingsAccepted));
        Metric(text, "thingledger_readings_duplicate_total", "counter", "Readings resent after being accepted (not stored again).", Interlocked.Read(ref _readingsDuplicate));
        Metric(text, "thingledger_readings_rejected_total", "counter", "Readings refused at ingest.", Interlocked.Read(ref _readingsRejected));
        text.Append("# HELP thingledger_txs_rejected_total Txs refused by admission, by error code.\n# TYPE thingledger_txs_rejected_total counter\n");
        foreach (var (code, count) in _rejections.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"thingledger_txs_rejected_total{{code=\"{code}\"}} {count}\n");
        }
        return text.ToString();
    }

    private static void Metric(StringBuilder text, string name, string type, string help, double value) => Write(text, name, type, help, value);

    /// <summary>One metric with its HELP and TYPE lines, in the Prometheus text format.</summary>
    public static void Write(StringBuilder text, string name, string type, string help, double value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}

/// <summary>Metrics a module adds to <c>/metrics</c> (register it as a singleton <see cref="IMetricsSource"/>).</summary>
public interface IMetricsSource
{
    void Render(StringBuilder text);
}
