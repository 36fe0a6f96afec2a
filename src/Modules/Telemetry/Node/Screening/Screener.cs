using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Telemetry;
using ThingLedger.Storage;

namespace ThingLedger.Node.Screening;

/// <summary>
/// The node's screening at ingest: for each schema, the model registered on chain to screen it
/// (its parameters on chain, or a built-in model registered by the hash of exactly these
/// parameters). The chain is asked again at most once a second per schema, so a new model
/// version takes over within a second of its block. The reading store calls
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
    private readonly Dictionary<(string, ushort), (ScreeningModel? Model, long CheckedAt)> _models = [];
    private readonly HashSet<string> _refused = [];

    /// <summary>The folder (under the data directory) holding members' ONNX model files, each named by its SHA-256: {hash}.onnx.</summary>
    public const string FilesFolder = "models";

    private readonly string? _files;

    public Screener(IStateReader state, ReadingStore readings, SchemaCache schemas, bool enabled, ILogger logger, string? filesDirectory = null)
    {
        _files = filesDirectory;
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
            foreach (var (model, _) in _models.Values)
            {
                foreach (var device in devices)
                {
                    model?.Forget(device);
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
        // A registration may land in any block, but ingest must not read state for every reading:
        // what the chain says is looked at again at most once a second.
        var now = Environment.TickCount64;
        _models.TryGetValue((schemaId, version), out var known);
        if (known.CheckedAt != 0 && now - known.CheckedAt < 1_000)
        {
            return known.Model;
        }
        var model = known.Model;
        if (_schemas.Find(schemaId, version) is not { } schema || RegisteredConfig(schemaId, version) is not { } config)
        {
            model?.Dispose();
            model = null;
        }
        else if (model?.Config.Name != config.Name)
        {
            // Another model screens the schema now: the old one's state goes with it.
            model?.Dispose();
            try
            {
                model = new ScreeningModel(config, schema, File);
            }
            catch (ArgumentException e)
            {
                // Registration checks the parameters, so what gets here is a model registered by
                // hash alone, or an ONNX file not (yet) installed here: asked again within a second.
                if (_refused.Add(config.Name))
                {
                    LogModelUnusable(config.Name, e.Message);
                }
                model = null;
            }
        }
        _models[(schemaId, version)] = (model, Math.Max(now, 1));
        return model;
    }

    /// <summary>An installed ONNX file by its hash, or null.</summary>
    private byte[]? File(Hash hash)
    {
        var path = _files is null ? null : Path.Combine(_files, $"{hash}.onnx");
        return path is not null && System.IO.File.Exists(path) ? System.IO.File.ReadAllBytes(path) : null;
    }

    /// <summary>
    /// The parameters of the model the chain says screens the schema: the registered active model's
    /// own parameters, or a built-in model registered by its hash (chains from before parameters
    /// went on chain). Null when no usable model is registered.
    /// </summary>
    private ScreeningModelConfig? RegisteredConfig(string schemaId, ushort version)
    {
        var name = TelemetryModule.ReadActiveModel(_state, $"{schemaId}@{version}")?.Model ?? BuiltInScreeningModels.ForSchema(schemaId, version)?.Name;
        if (name is null || TelemetryModule.ReadModel(_state, name) is not { } record)
        {
            return null;
        }
        if (TelemetryModule.ReadModelParameters(_state, name) is { } onChain)
        {
            return onChain;
        }
        var builtIn = BuiltInScreeningModels.All.FirstOrDefault(m => m.Name == name);
        if (builtIn is null || record.Model.ParametersHash != builtIn.ParametersHash || record.Model.Schema != schemaId || record.Model.SchemaVersion != version)
        {
            if (_refused.Add(name))
            {
                LogParametersDiffer(name, record.Model.ParametersHash.ToString(), builtIn?.ParametersHash.ToString() ?? "none");
            }
            return null;
        }
        return builtIn;
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Screening model {Model} cannot run here ({Problem}): its readings are stored unscreened")]
    private partial void LogModelUnusable(string model, string problem);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning,
        Message = "Screening model {Model} is registered with parameters {Registered}, this node runs {Local}: its readings are stored unscreened")]
    private partial void LogParametersDiffer(string model, string registered, string local);
}
