using System.Diagnostics;
using ThingLedger.Execution;

namespace ThingLedger.Cli.Bench;

/// <summary>How the module benchmarks time a block executed on the node's state machine (nothing of it committed).</summary>
internal static class BenchBlocks
{
    /// <summary>Executions timed after the warm-up one; the median is reported.</summary>
    public const int TimedRuns = 5;

    /// <summary>
    /// Runs <paramref name="execute"/> once to warm up (the first execution also compiles the code
    /// it runs; a running node has compiled it long before) and <see cref="TimedRuns"/> times more:
    /// the median time in ms, and the last execution, every tx of which must have succeeded.
    /// </summary>
    public static (double MedianMs, BlockExecution Block) Median(Func<BlockExecution> execute)
    {
        var times = new double[TimedRuns];
        var executed = execute();
        for (var r = 0; r < TimedRuns; r++)
        {
            var timing = Stopwatch.StartNew();
            executed = execute();
            times[r] = timing.Elapsed.TotalMilliseconds;
        }
        if (executed.Receipts.FirstOrDefault(x => !x.Succeeded) is { } failed)
        {
            throw new InvalidOperationException($"a tx of the timed block failed: {failed.ErrorCode}");
        }
        Array.Sort(times);
        return (times[TimedRuns / 2], executed);
    }
}
