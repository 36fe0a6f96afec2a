using ThingLedger.Storage;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Keeps the node from writing into a full disk: every second it measures the free space of the
/// data directory's file system, and below <c>Node:MinFreeDiskBytes</c> the node stops taking
/// writes (NODE_UNAVAILABLE, /health 503) before SQLite runs out of room in the middle of a
/// block. A write that fails for lack of space anyway reports here too. Writes resume by
/// themselves once the free space is at least <see cref="ResumeAt"/> (so the node does not flap
/// at the edge); the block that could not be committed is committed then, nothing acknowledged is lost.
/// </summary>
public sealed partial class DiskWatch(LedgerNode node, ILogger<DiskWatch> logger, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A write failed for lack of space: stop taking writes until there is room again.</summary>
    public void ReportFull(DiskFullException failure) => Report($"the disk is full: {failure.Message}; writes resume once space is freed");

    private void Report(string reason)
    {
        if (node.Health.ReasonFor(FaultCause.StorageFull) is null)
        {
            LogFull(reason);
        }
        node.Health.Set(FaultCause.StorageFull, reason);
    }

    /// <summary>One measurement: sets or clears the fault. Returns the free bytes, or null when they cannot be measured.</summary>
    public long? Check()
    {
        long free;
        try
        {
            free = new DriveInfo(Path.GetFullPath(node.Options.DataDirectory)).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
        var minimum = node.Options.MinFreeDiskBytes;
        var resume = ResumeAt(minimum);
        var full = node.Health.ReasonFor(FaultCause.StorageFull) is not null;
        if (free < minimum)
        {
            Report($"only {free} bytes are free in {node.Options.DataDirectory} (Node:MinFreeDiskBytes is {minimum}); writes resume once at least {resume} are free");
        }
        else if (full && free >= resume)
        {
            node.Health.Clear(FaultCause.StorageFull);
            LogRecovered(free);
        }
        return free;
    }

    /// <summary>Free bytes at which writes resume: twice the minimum, and never less than 8 MiB (room for a few blocks and a WAL checkpoint).</summary>
    public static long ResumeAt(long minimum) => Math.Max(2 * minimum, 8L * 1024 * 1024);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                Check();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Writes stopped: {Reason}")]
    private partial void LogFull(string reason);

    [LoggerMessage(EventId = 51, Level = LogLevel.Warning, Message = "Writes resume: {Free} bytes free on the data directory's disk")]
    private partial void LogRecovered(long free);
}
