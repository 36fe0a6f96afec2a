using ThingLedger.Core.Crypto;
using ThingLedger.Core.State;

namespace ThingLedger.Execution.Modules.Telemetry;

/// <summary>What telemetry has recorded, as other modules read it: schemas, and per device its anchored day totals and custodian.</summary>
public interface ITelemetryRecords
{
    SchemaRecord? Schema(IStateReader state, string id, ushort version);

    /// <summary>The day totals anchored for <paramref name="device"/> under <paramref name="schemaRef"/> ("id@version") on <paramref name="day"/>, or null.</summary>
    DayTotalsRecord? Day(IStateReader state, Address device, string schemaRef, uint day);

    /// <summary>The organisation whose node anchored <paramref name="device"/>'s readings last, or null when none has.</summary>
    string? CustodianOrgOf(IStateReader state, Address device);
}

/// <summary>
/// A module told of every device summary an anchor applies, inside the anchor tx, after
/// telemetry has recorded it (so telemetry knows no other module). It runs with its own write
/// authority (its <see cref="IModule.Name"/>'s keys). An observer never fails the anchor: it
/// records what it can and says what it could not in events.
/// </summary>
public interface ISummaryObserver : IModule
{
    void OnSummary(TxContext context, Core.Telemetry.DeviceSummary summary);
}
