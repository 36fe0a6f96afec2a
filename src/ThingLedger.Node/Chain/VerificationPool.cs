using System.Collections.Concurrent;

namespace ThingLedger.Node.Chain;

/// <summary>
/// Signature checks of every submission, run first come first served on one dedicated thread
/// per core. Sharing the cores batch by batch, instead of letting every concurrent batch run its
/// own parallel loop, lets the first batch finish first: under load the average wait halves and
/// the tail shrinks, for the same throughput. A batch is cut into small chunks so all cores work
/// on it, and so a huge batch delays the ones behind it by no more than its own cost.
/// </summary>
public sealed class VerificationPool : IDisposable
{
    private const int ChunkSize = 16;
    private readonly BlockingCollection<Chunk> _queue = new(new ConcurrentQueue<Chunk>());
    private readonly object _addLock = new();
    private readonly Thread[] _workers;

    public VerificationPool(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _workers = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"verify-{i}" };
            _workers[i].Start();
        }
    }

    /// <summary>Work queued and not yet picked up, in chunks of up to 16 checks.</summary>
    public int QueuedChunks => _queue.Count;

    /// <summary>Runs <paramref name="check"/> for 0 ≤ i &lt; <paramref name="count"/> on the pool; completes when all have run.</summary>
    public Task RunAsync(int count, Action<int> check)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return Task.CompletedTask;
        }
        var batch = new Batch(check, (count + ChunkSize - 1) / ChunkSize);
        // One lock so a batch's chunks stay together in the queue: first come, first served.
        lock (_addLock)
        {
            for (var start = 0; start < count; start += ChunkSize)
            {
                _queue.Add(new Chunk(batch, start, Math.Min(count, start + ChunkSize)));
            }
        }
        return batch.Done.Task;
    }

    private void Work()
    {
        foreach (var chunk in _queue.GetConsumingEnumerable())
        {
            chunk.Batch.Run(chunk.Start, chunk.End);
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        _queue.Dispose();
    }

    private readonly record struct Chunk(Batch Batch, int Start, int End);

    private sealed class Batch(Action<int> check, int chunks)
    {
        private int _remaining = chunks;
        private Exception? _error;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Run(int start, int end)
        {
            try
            {
                for (var i = start; i < end; i++)
                {
                    check(i);
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                if (_error is { } error)
                {
                    Done.SetException(error);
                }
                else
                {
                    Done.SetResult();
                }
            }
        }
    }
}
