using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node.Screening;

/// <summary>
/// The node's screening at ingest: for each schema, the built-in model, used once it is
/// registered on chain with exactly these parameters. The reading store calls
/// <see cref="Screen"/> under its write lock for the items it accepts, in the order it stores
/// them, so a model learns from exactly the readings stored. A device the model has not seen since
/// the node started is first replayed from the reading store, so a restart does not reset its history.
/// </summary>
public sealed partial class Screener
{
    /// <summary>How many of a device's latest stored readings a model replays before screening its next one.</summary>
    public const int WarmupReadings = 256;

    private readonly IStateReader _state;
    private readonly ReadingStore _readings;
    private readonly SchemaCache _schemas;
    private readonly bool _enabled;
    private readonly ILogger _logger;
    private readonly Dictionary<(string, ushort), ScreeningModel> _models = [];
    private readonly HashSet<string> _refused = [];
    private readonly Dictionary<(string, ushort), long> _lookedAt = [];

    public Screener(IStateReader state, ReadingStore readings, SchemaCache schemas, bool enabled, ILogger logger)
    {
        _state = state;
        _readings = readings;
        _schemas = schemas;
        _enabled = enabled;
        _logger = logger;
    }

    /// <summary>
    /// What screening says of each reading of an item the store is about to write (null when no
    /// model looked at any of them). Called by the store, one upload at a time, in the order it
    /// stores them; the lock only keeps out <see cref="Forget"/>, which runs on a failed upload's thread.
    /// </summary>
    public ReadingScreen[]? Screen(Reading[] readings)
    {
        if (!_enabled)
        {
            return null;
        }
        lock (_models)
        {
            return ScreenItem(readings);
        }
    }

    private ReadingScreen[]? ScreenItem(Reading[] readings)
    {
        var screens = new ReadingScreen[readings.Length];
        var screened = false;
        // An item's readings almost always share one schema: look its model up once.
        (string Schema, ushort Version, ScreeningModel? Model)? last = null;
        for (var i = 0; i < readings.Length; i++)
        {
            var reading = readings[i];
            if (last is not { } known || !ReferenceEquals(known.Schema, reading.Schema) || known.Version != reading.SchemaVersion)
            {
                last = known = (reading.Schema, reading.SchemaVersion, ModelFor(reading.Schema, reading.SchemaVersion));
            }
            if (known.Model is not { } model)
            {
                screens[i] = ReadingScreen.None;
                continue;
            }
            if (!model.Knows(reading.Device))
            {
                WarmUp(model, reading.Device);
            }
            screens[i] = model.Screen(reading);
            screened = true;
        }
        return screened ? screens : null;
    }

    /// <summary>The store refused what was screened: forget those devices, to learn them again from what it holds.</summary>
    public void Forget(IEnumerable<Address> devices)
    {
        lock (_models)
        {
            foreach (var model in _models.Values)
            {
                foreach (var device in devices)
                {
                    model.Forget(device);
                }
            }
        }
    }

    private void WarmUp(ScreeningModel model, Address device)
    {
        var history = _readings.History(device, null, null, null, WarmupReadings);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var reading = history[i].Reading;
            if (reading.Schema == model.Config.Schema && reading.SchemaVersion == model.Config.SchemaVersion)
            {
                model.Screen(reading);
            }
        }
    }

    private ScreeningModel? ModelFor(string schemaId, ushort version)
    {
        if (_models.TryGetValue((schemaId, version), out var known))
        {
            return known;
        }
        // Not registered yet (or not usable): look again at most once a second, since a
        // registration may land in any block but ingest must not read state for every reading.
        var now = Environment.TickCount64;
        if (_lookedAt.TryGetValue((schemaId, version), out var last) && now - last < 1_000)
        {
            return null;
        }
        _lookedAt[(schemaId, version)] = now;
        if (BuiltInScreeningModels.ForSchema(schemaId, version) is not { } config || _schemas.Find(schemaId, version) is not { } schema ||
            TelemetryModule.ReadModel(_state, config.Name) is not { } record)
        {
            return null;
        }
        if (record.Model.ParametersHash != config.ParametersHash || record.Model.Schema != schemaId || record.Model.SchemaVersion != version)
        {
            if (_refused.Add(config.Name))
            {
                LogParametersDiffer(config.Name, record.Model.ParametersHash.ToString(), config.ParametersHash.ToString());
            }
            return null;
        }
        var model = new ScreeningModel(config, schema);
        _models[(schemaId, version)] = model;
        return model;
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "Screening model {Model} is registered with parameters {Registered}, this node runs {Local}: its readings are stored unscreened")]
    private partial void LogParametersDiffer(string model, string registered, string local);
}
