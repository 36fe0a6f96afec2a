using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Merkle;
using ThingLedger.Core.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node.Telemetry;

/// <summary>
/// Turns readings, in ingest order, into anchor payloads. An anchor's payload must fit in one tx,
/// so a long run of readings is cut into consecutive anchors whenever the next device summary
/// might not fit. Within an anchor a device has one summary per run of readings of one schema
/// and one UTC day (a run is cut where either changes), so a summary belongs to exactly one day —
/// and, for a schema with a summary period, to one period of that day.
/// </summary>
public static class AnchorBuilder
{
    /// <summary>Room for the fixed part of an anchor payload, and the counts of its historic, levels and periods lists.</summary>
    private const int FixedBytes = Hash.Size + (8 * 5) + 3 + 3 + 3 + 3;

    public static List<AnchorPayload> Build(IReadOnlyList<StoredReading> readings, Func<string, ushort, TelemetrySchema?> schemas, int maxPayloadBytes = Transaction.MaxPayloadBytes)
    {
        var anchors = new List<AnchorPayload>();
        var start = 0;
        while (start < readings.Count)
        {
            anchors.Add(BuildOne(readings, ref start, schemas, maxPayloadBytes));
        }
        return anchors;
    }

    private static AnchorPayload BuildOne(IReadOnlyList<StoredReading> readings, ref int start, Func<string, ushort, TelemetrySchema?> schemas, int maxPayloadBytes)
    {
        var runs = new Dictionary<Address, List<Run>>();
        var fieldsOf = new Dictionary<TelemetrySchema, (int[] Additive, int[] Levels)>(ReferenceEqualityComparer.Instance);
        var summaries = 0;
        var budget = FixedBytes;
        var leaves = new List<Hash>();
        ulong from = ulong.MaxValue, to = 0;
        var first = readings[start].Ingest;
        var historic = new List<HistoricImport>();
        var i = start;
        for (; i < readings.Count; i++)
        {
            // A reading that starts a historic range adds the range's bytes (and the list's count, the first time).
            var by = readings[i].HistoricBy;
            var startsRange = by is not null && (historic.Count == 0 || historic[^1].Operator != by || historic[^1].LastIngest + 1 != readings[i].Ingest);
            var historicSize = startsRange ? HistoricImport.EncodedLength : 0;
            var reading = readings[i].Reading;
            if (!runs.TryGetValue(reading.Device, out var deviceRuns))
            {
                deviceRuns = [];
                runs[reading.Device] = deviceRuns;
            }
            var run = deviceRuns.Count > 0 ? deviceRuns[^1] : null;
            var day = DeviceSummary.DayOf(reading.Timestamp);
            var screen = readings[i].Screen;
            if (run is null || run.Schema.Id != reading.Schema || run.Schema.Version != reading.SchemaVersion || run.Day != day || run.Model != screen.Model ||
                (run.Schema.SummaryMinutes != 0 && run.Period != run.Schema.PeriodOf(reading.Timestamp)))
            {
                var schema = schemas(reading.Schema, reading.SchemaVersion)
                    ?? throw new InvalidOperationException($"stored reading {readings[i].Ingest} names schema {reading.SchemaRef}, which is not registered");
                if (!fieldsOf.TryGetValue(schema, out var fields))
                {
                    fields = (schema.AdditiveFields(), schema.LevelFields());
                    fieldsOf[schema] = fields;
                }
                var size = Run.MaxEncodedLength(fields.Additive.Length, fields.Levels.Length, screen.Model, schema.SummaryMinutes != 0);
                if (summaries > 0 && budget + size + historicSize > maxPayloadBytes)
                {
                    break;
                }
                budget += size;
                summaries++;
                run = new Run(schema, fields.Additive, fields.Levels, day, schema.PeriodOf(reading.Timestamp), screen.Model, reading.Sequence);
                deviceRuns.Add(run);
            }
            else if (historicSize > 0 && budget + historicSize > maxPayloadBytes)
            {
                break;
            }
            budget += historicSize;
            if (startsRange)
            {
                historic.Add(new HistoricImport(readings[i].Ingest, readings[i].Ingest, by!.Value));
            }
            else if (by is not null)
            {
                historic[^1] = historic[^1] with { LastIngest = readings[i].Ingest };
            }
            run.Add(reading, screen.Flags);
            leaves.Add(reading.LeafHash);
            from = Math.Min(from, reading.Timestamp);
            to = Math.Max(to, reading.Timestamp);
        }
        start = i;
        var list = new List<DeviceSummary>(summaries);
        foreach (var (device, deviceRuns) in runs)
        {
            foreach (var run in deviceRuns)
            {
                list.Add(run.ToSummary(device));
            }
        }
        list.Sort(static (a, b) => a.Device != b.Device ? a.Device.CompareTo(b.Device) : a.FirstSequence.CompareTo(b.FirstSequence));
        return new AnchorPayload(MerkleTree.Root([.. leaves]), (ulong)leaves.Count, from, to, first, first + (ulong)leaves.Count - 1, [.. list])
        {
            Historic = [.. historic],
        };
    }

    private sealed class Run(TelemetrySchema schema, int[] additive, int[] levels, uint day, SummaryPeriod? period, string model, ulong firstSequence)
    {
        private readonly int[] _additive = additive;
        private readonly int[] _levels = levels;
        private long[]? _min;
        private long[]? _lastLevel;
        private SortedDictionary<FlagCode, (uint Count, ushort MaxScore)>? _tallies;
        private long[]? _sums;
        private long[]? _flaggedSums;
        private uint _count;
        private uint _flagged;
        private ulong _last;

        public TelemetrySchema Schema { get; } = schema;

        public uint Day { get; } = day;

        public SummaryPeriod? Period { get; } = period;

        public string Model { get; } = model;

        /// <summary>The most a summary of this schema and model can take, with its levels and period entries, however its readings are flagged.</summary>
        public static int MaxEncodedLength(int additive, int levels, string model, bool period)
        {
            var levelsEntry = (levels == 0 ? 0 : 3 + (2 * (1 + (10 * levels)))) + (period ? 3 + SummaryPeriod.EncodedLength : 0);
            return Address.Size + 1 + TelemetrySchema.MaxIdBytes + 2 + 4 + 8 + 8 + 1 + (10 * additive) +
                4 + CanonicalSizes.String(model) + 4 + 1 + (10 * additive) + 1 + (FlagCodes.Count * FlagTally.EncodedLength) + levelsEntry;
        }

        public void Add(Reading reading, ReadingFlag[] flags)
        {
            _sums ??= new long[_additive.Length];
            for (var k = 0; k < _additive.Length; k++)
            {
                _sums[k] = checked(_sums[k] + reading.Values[_additive[k]]);
            }
            if (flags.Length > 0)
            {
                _flaggedSums ??= new long[_additive.Length];
                for (var k = 0; k < _additive.Length; k++)
                {
                    _flaggedSums[k] = checked(_flaggedSums[k] + reading.Values[_additive[k]]);
                }
                _flagged++;
                AddFlags(flags);
            }
            else if (_levels.Length > 0)
            {
                // Levels are of the unflagged readings only: a value screening doubts moves nothing.
                if (_min is null)
                {
                    _min = new long[_levels.Length];
                    Array.Fill(_min, long.MaxValue);
                }
                _lastLevel ??= new long[_levels.Length];
                for (var k = 0; k < _levels.Length; k++)
                {
                    var value = reading.Values[_levels[k]];
                    _min[k] = Math.Min(_min[k], value);
                    _lastLevel[k] = value;
                }
            }
            _count++;
            _last = reading.Sequence;
        }

        private void AddFlags(ReadingFlag[] flags)
        {
            _tallies ??= [];
            foreach (var flag in flags)
            {
                var (count, max) = _tallies.GetValueOrDefault(flag.Code);
                _tallies[flag.Code] = (count + 1, Math.Max(max, flag.Score));
            }
        }

        public DeviceSummary ToSummary(Address device) =>
            new(device, Schema.Id, Schema.Version, _count, firstSequence, _last, _sums ?? [])
            {
                Day = Day,
                Model = Model,
                Flagged = _flagged,
                FlaggedSums = _flaggedSums ?? [],
                Flags = _tallies is null ? [] : [.. _tallies.Select(t => new FlagTally(t.Key, t.Value.Count, t.Value.MaxScore))],
                Levels = _min is null ? null : new SummaryLevels(_min, _lastLevel!),
                Period = Period,
            };
    }
}
