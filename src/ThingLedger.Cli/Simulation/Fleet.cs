using ThingLedger.Client;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Cli.Simulation;

/// <summary>What a simulated fleet looks like.</summary>
/// <param name="ReadingsPerSecond">Readings per device per (wall-clock) second.</param>
/// <param name="BatchSize">Readings under one device signature; 1 signs each reading alone.</param>
/// <param name="FaultRate">Share of devices that misbehave, each in one way (see <see cref="FaultKind"/>).</param>
internal sealed record FleetOptions(int Evs, int Meters, int Washers, double ReadingsPerSecond, int BatchSize, double FaultRate, int Seed = 42, int Purifiers = 0)
{
    public int Devices => Evs + Meters + Washers + Purifiers;
}

/// <summary>How a faulty simulated device misbehaves.</summary>
internal enum FaultKind
{
    /// <summary>Resends an old sequence number with other values.</summary>
    Replay,
    /// <summary>Signatures that do not verify.</summary>
    BadSignature,
    /// <summary>A value outside its schema's range.</summary>
    OutOfRange,
    /// <summary>In range but physically implausible (an odometer going backwards, a battery jumping); accepted at ingest, for screening to catch.</summary>
    Implausible,
    /// <summary>A clock an hour or more fast.</summary>
    ClockSkew,
}

/// <summary>One simulated device: its key, its model and model clock, and its fault if any.</summary>
internal sealed class SimulatedDevice(string org, KeyPair key, DeviceSigner signer, DeviceModel model, TimeSpan interval, FaultKind? fault, DateTime modelStart)
{
    public string Org { get; } = org;
    public KeyPair Key { get; } = key;
    public DeviceSigner Signer { get; set; } = signer;
    public DeviceModel Model { get; } = model;
    public TimeSpan Interval { get; } = interval;
    public FaultKind? Fault { get; } = fault;
    public DateTime ModelTime { get; set; } = modelStart;
    public double Due { get; set; }
    public List<Reading> Sent { get; } = [];

    /// <summary>Who owns it once registered; by default its organisation's admin.</summary>
    public Address? Owner { get; init; }

    /// <summary>Its registration's model, serial and metadata; by default the schema's name, a serial from its address, none.</summary>
    public string? Product { get; init; }

    public string? Serial { get; init; }

    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}

/// <summary>
/// A fleet of simulated EVs, smart meters, washing machines and air purifiers that registers itself and then
/// produces signed uploads, tick by tick. Each reading is one model interval and is stamped with
/// its model time, so rates (km/h, W) are real. Model time starts <see cref="HistoryDays"/> days
/// ago and runs faster than the wall clock, like devices uploading the history they buffered,
/// until it reaches the present; from then on a device reports only what has happened.
/// </summary>
internal sealed class Fleet
{
    private readonly FleetOptions _options;
    private readonly Random _random;
    private readonly string _chainId;
    private readonly DateTime _start;

    /// <summary>How far back model time starts (inside a node's default 7-day reading age limit).</summary>
    public const int HistoryDays = 6;

    /// <param name="keyFor">The key of device number i (the demo keeps them in its data directory, so a resumed
    /// demo runs the same fleet); by default a new key each.</param>
    public Fleet(FleetOptions options, string chainId, DateTime? modelStart = null, Func<int, KeyPair>? keyFor = null)
    {
        if (options.BatchSize is < 1 or > DeviceBatch.MaxReadings)
        {
            throw new ArgumentException($"--batch must be between 1 and {DeviceBatch.MaxReadings}");
        }
        _options = options;
        _chainId = chainId;
        _random = new Random(options.Seed);
        var ago = DateTime.UtcNow.AddDays(-HistoryDays);
        var start = _start = modelStart ?? new DateTime(ago.Year, ago.Month, ago.Day, ago.Hour, 0, 0, DateTimeKind.Utc);
        var faulty = (int)Math.Round(options.Devices * Math.Clamp(options.FaultRate, 0, 1));
        var faultsGiven = 0;
        for (var i = 0; i < options.Devices; i++)
        {
            var key = keyFor?.Invoke(i) ?? KeyPair.Generate();
            var seed = _random.Next();
            var (org, model, interval) = i < options.Evs
                ? ("voltmotors", (DeviceModel)new EvModel(new Random(seed)), EvModel.Interval)
                : i < options.Evs + options.Meters
                    ? ("gridco", new MeterModel(new Random(seed)), MeterModel.Interval)
                    : i < options.Evs + options.Meters + options.Washers
                        ? ("homeappliance", new WasherModel(new Random(seed)), WasherModel.Interval)
                        : ("homeappliance", new AirPurifierModel(new Random(seed)), AirPurifierModel.Interval);
            // Faulty devices are spread over the fleet, their kinds in turn.
            FaultKind? fault = faultsGiven < faulty && i % Math.Max(1, options.Devices / faulty) == 0
                ? (FaultKind)(faultsGiven++ % Enum.GetValues<FaultKind>().Length)
                : null;
            Devices.Add(new SimulatedDevice(org, key, new DeviceSigner(key, chainId), model, interval, fault, start));
        }
    }

    /// <summary>A fleet of the devices given (each with its model, owner and metadata), whose model clocks start at <paramref name="modelStart"/>.</summary>
    public Fleet(IEnumerable<SimulatedDevice> devices, double readingsPerSecond, string chainId, DateTime modelStart, int seed)
    {
        _options = new FleetOptions(0, 0, 0, readingsPerSecond, BatchSize: 1, FaultRate: 0, seed);
        _chainId = chainId;
        _random = new Random(seed);
        _start = modelStart;
        Devices.AddRange(devices);
    }

    public List<SimulatedDevice> Devices { get; } = [];

    /// <summary>The organisation that makes a device family, and so registers its schema and screening model.</summary>
    public static string FamilyOrg(string schema) => schema switch
    {
        "smart-meter" => "gridco",
        "washer" or "air-purifier" => "homeappliance",
        _ => "voltmotors",
    };

    /// <summary>
    /// Registers the built-in schemas and screening models (when missing) and every device not yet
    /// registered, owned by its organisation's admin. A device registered before (a resumed demo)
    /// continues where it stopped: its next sequence number and its model clock follow the newest
    /// reading the node holds of it (but never before the fleet's own start: a gap longer than its history
    /// stays a gap), and its model resumes from that reading's values. Returns how many devices it registered.
    /// </summary>
    public async Task<int> RegisterAsync(ThingLedgerClient client, IReadOnlyDictionary<string, Account> admins, CancellationToken cancellationToken)
    {
        var txs = new List<Transaction>();
        foreach (var schema in Execution.Modules.Telemetry.BuiltInSchemas.All)
        {
            if (await client.GetSchemaAsync(schema.Id, schema.Version, cancellationToken).ConfigureAwait(false) is null)
            {
                txs.Add(admins[FamilyOrg(schema.Id)].Sign(Operations.RegisterSchema(schema)));
            }
        }
        var models = (await client.GetScreeningModelsAsync(cancellationToken).ConfigureAwait(false)).Select(m => m.Name).ToHashSet();
        foreach (var model in Execution.Modules.Telemetry.BuiltInScreeningModels.All.Where(m => !models.Contains(m.Name)))
        {
            txs.Add(admins[FamilyOrg(model.Schema)].Sign(Operations.RegisterModel(model.Registration())));
        }
        var registered = 0;
        foreach (var device in Devices)
        {
            if (await client.GetDeviceAsync(device.Key.Address, cancellationToken).ConfigureAwait(false) is not null)
            {
                if (await client.GetLatestReadingAsync(device.Key.Address, cancellationToken).ConfigureAwait(false) is { } latest)
                {
                    device.Signer = new DeviceSigner(device.Key, _chainId, latest.Seq + 1);
                    var next = DateTimeOffset.FromUnixTimeMilliseconds((long)latest.Time).UtcDateTime + device.Interval;
                    device.ModelTime = next > _start ? next : _start;
                    device.Model.Resume(latest.Values);
                }
                continue;
            }
            registered++;
            var admin = admins[device.Org];
            txs.Add(admin.Sign(Operations.RegisterDevice(device.Key, admin.ChainId, device.Org, device.Product ?? device.Model.Schema.Id + "-sim",
                device.Serial ?? "SIM-" + device.Key.Address.ToString()[2..18], device.Owner ?? admin.Address, device.Metadata)));
        }
        await client.SubmitAllCommittedAsync(txs, "registering simulated devices", cancellationToken: cancellationToken).ConfigureAwait(false);
        return registered;
    }

    /// <summary>The uploads due after <paramref name="elapsed"/> of wall-clock time since the last tick.</summary>
    public (List<SignedReading> Singles, List<SignedBatch> Batches) Tick(TimeSpan elapsed, ulong now)
    {
        var singles = new List<SignedReading>();
        var batches = new List<SignedBatch>();
        var present = DateTimeOffset.FromUnixTimeMilliseconds((long)now).UtcDateTime;
        foreach (var device in Devices)
        {
            device.Due += _options.ReadingsPerSecond * elapsed.TotalSeconds;
            while (device.Due >= _options.BatchSize)
            {
                // Caught up with the present: only what has happened since is due, never a reading ahead of it.
                if (device.ModelTime + (device.Interval * _options.BatchSize) > present)
                {
                    device.Due = Math.Min(device.Due, _options.BatchSize - 1);
                    break;
                }
                device.Due -= _options.BatchSize;
                var readings = new List<Reading>(_options.BatchSize);
                for (var i = 0; i < _options.BatchSize; i++)
                {
                    device.ModelTime += device.Interval;
                    readings.Add(Measure(device, now));
                }
                if (_options.BatchSize == 1)
                {
                    singles.Add(SignWithFault(device, device.Signer.Sign(readings[0])));
                }
                else
                {
                    var batch = device.Signer.SignBatch(readings);
                    batches.Add(device.Fault == FaultKind.BadSignature && _random.NextDouble() < 0.5 ? batch with { Signature = Flip(batch.Signature) } : batch);
                }
                if (device.Fault == FaultKind.Replay && device.Sent.Count > 0 && _random.NextDouble() < 0.5)
                {
                    var old = device.Sent[_random.Next(device.Sent.Count)];
                    var replay = new Reading(old.Device, old.Sequence, old.Timestamp, old.Schema, old.SchemaVersion, [.. old.Values.Select(v => v + 1)]);
                    singles.Add(new SignedReading(replay, replay.Sign(device.Key, _chainId)));
                }
                device.Sent.Add(readings[^1]);
                if (device.Sent.Count > 16)
                {
                    device.Sent.RemoveAt(0);
                }
            }
        }
        return (singles, batches);
    }

    private Reading Measure(SimulatedDevice device, ulong now)
    {
        var values = device.Model.Next(device.ModelTime);
        var time = (ulong)new DateTimeOffset(device.ModelTime).ToUnixTimeMilliseconds();
        var faulty = _random.NextDouble() < 0.5;
        switch (device.Fault)
        {
            case FaultKind.OutOfRange when faulty:
                values[0] = device.Model.Schema.Fields[0].Max + 1 + _random.Next(1_000);
                break;
            case FaultKind.Implausible when faulty:
                values[0] = Math.Max(device.Model.Schema.Fields[0].Min, values[0] / 2);
                break;
            case FaultKind.ClockSkew when faulty:
                time = now + 3_600_000 + (ulong)_random.Next(3_600_000);
                break;
        }
        return device.Signer.Measure(device.Model.Schema, time, values);
    }

    private SignedReading SignWithFault(SimulatedDevice device, SignedReading signed) =>
        device.Fault == FaultKind.BadSignature && _random.NextDouble() < 0.5 ? signed with { Signature = Flip(signed.Signature) } : signed;

    private static byte[] Flip(byte[] signature)
    {
        var copy = (byte[])signature.Clone();
        copy[^1] ^= 0x01;
        return copy;
    }
}
