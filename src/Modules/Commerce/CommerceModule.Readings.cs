using System.Globalization;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Execution.Modules.Commerce;

/// <summary>Orders placed and deliveries shown by anchored readings; repairs from diagnosis (docs/COMMERCE.md "Orders from readings", "Repairs from diagnosis").</summary>
public sealed partial class CommerceModule
{
    /// <summary>
    /// For each agreement covering the summary's device and watching its schema: a refund of an
    /// order past its deadline, a supply order when the trigger field's last unflagged level is
    /// below the threshold, a delivery when the level rose by the order's units, a repair when a
    /// flag maps to a covered category, a repair closed when the readings are normal again. Never
    /// fails the anchor: a refused order is an event.
    /// </summary>
    public void OnSummary(TxContext context, DeviceSummary summary)
    {
        // A version-1 anchor replays to the receipt it had then, which read no commerce state.
        if (!context.Tx.IsMetered)
        {
            return;
        }
        var schemaRef = summary.SchemaRef;
        if (Counters.Read(context.State, SchemaKey(schemaRef)) == 0)
        {
            return;
        }
        var covering = ReadDevice(context.State, summary.Device);
        // What was read serves the first agreement that acts; after it the record may have changed.
        DeviceAgreementsRecord? fresh = covering;
        TelemetrySchema? schema = null;
        foreach (var listed in covering.Entries)
        {
            context.Gas.Steps(1);
            if (ReadAgreement(context.State, listed.Agreement) is not { } agreement || agreement.Terms.SchemaRef != schemaRef)
            {
                continue;
            }
            var repair = agreement.Terms.Kind == AgreementKind.Repair;
            schema ??= repair ? null : telemetry.Schema(context.State, summary.Schema, summary.SchemaVersion)?.Schema;
            if (!repair && (schema is null || !agreement.Terms.HasTrigger))
            {
                continue;
            }
            fresh ??= ReadDevice(context.State, summary.Device);
            var entry = Array.Find(fresh.Entries, e => e.Agreement == listed.Agreement);
            // An order past its deadline is refunded when the device is next heard of: nobody has to ask.
            if (entry.OpenOrder != CommerceLimits.NoOrder && ReadOrder(context.State, agreement.Id, entry.OpenOrder) is { } open &&
                Refundable(open) && context.Timestamp > open.DeadlineMs)
            {
                Refund(context, agreement, open);
                fresh = null;
                continue;
            }
            if (repair)
            {
                OnRepairSummary(context, agreement, entry, summary);
            }
            else
            {
                OnSupplySummary(context, agreement, entry, summary, LevelIndex(schema!, agreement.Terms.Field), fresh);
            }
            fresh = null;
        }
    }

    private void OnSupplySummary(TxContext context, AgreementRecord agreement, DeviceAgreement entry, DeviceSummary summary, int field, DeviceAgreementsRecord covering)
    {
        // Readings of a cloned or fabricated stream, or readings screening doubted, show nothing.
        if (summary.Levels is not { } levels || field < 0 || field >= levels.Min.Length || FlagCodes.AnyDeviceLevel(summary.Flags))
        {
            return;
        }
        var terms = agreement.Terms;
        if (entry.OpenOrder != CommerceLimits.NoOrder)
        {
            // Every summary seen here was anchored after the shipment (a device's sequences only grow).
            if (ReadOrder(context.State, agreement.Id, entry.OpenOrder) is not { Status: CommerceOrderStatus.Shipped } order || terms.RisePerUnit == 0)
            {
                return;
            }

            var low = Math.Min(order.LowSince, levels.Min[field]);
            var need = terms.RisePerUnit > long.MaxValue / order.Units ? long.MaxValue : terms.RisePerUnit * order.Units;
            if (levels.Last[field] - low >= need)
            {
                Deliver(context, agreement, order with { LowSince = low }, Confirmation.Readings, summary.Device, summary.LastSequence);
            }
            else if (low < order.LowSince)
            {
                Write(context, agreement.Id, order with { LowSince = low });
            }
            return;
        }
        var level = levels.Last[field];
        if (level >= terms.Threshold || summary.LastSequence <= entry.LastTrigger)
        {
            return;
        }
        var trigger = new OrderTrigger(context.Tx.Id, summary.Day, summary.FirstSequence, summary.LastSequence, level, 0, string.Empty, summary.Model);
        var placed = Place(context, agreement, summary.Device, OrderSource.Readings, terms.Quantity, terms.Price, trigger, out _, covering);
        if (!placed.Succeeded)
        {
            context.Emit(CommerceEvents.Skipped, new("agreement", agreement.Id.ToString()), new("device", summary.Device.ToString()),
                new("code", placed.ErrorCode!), new("level", level.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private void OnRepairSummary(TxContext context, AgreementRecord agreement, DeviceAgreement entry, DeviceSummary summary)
    {
        if (FlagCodes.AnyDeviceLevel(summary.Flags) || ReadFaults(context.State, summary.SchemaRef) is not { } faults)
        {
            return;
        }
        if (entry.OpenOrder != CommerceLimits.NoOrder)
        {
            // The repair is done when the first summary anchored after the visit shows no flag of its category.
            if (ReadOrder(context.State, agreement.Id, entry.OpenOrder) is { Status: CommerceOrderStatus.Visited } order &&
                !Shows(summary.Flags, faults, order.Trigger.Category))
            {
                Deliver(context, agreement, order, Confirmation.Readings, summary.Device, summary.LastSequence);
            }
            return;
        }
        foreach (var flag in summary.Flags)
        {
            if (faults.CategoryOf(flag.Code) is not { } category || !agreement.Terms.Categories.Contains(category))
            {
                continue;
            }
            var trigger = new OrderTrigger(context.Tx.Id, summary.Day, summary.FirstSequence, summary.LastSequence, 0, flag.Code, category, summary.Model);
            OpenRepair(context, agreement, summary.Device, OrderSource.Readings, trigger);
            return;
        }
    }

    private static bool Shows(FlagTally[] flags, FaultMapRecord faults, string category)
    {
        foreach (var flag in flags)
        {
            if (faults.CategoryOf(flag.Code) == category)
            {
                return true;
            }
        }
        return false;
    }

    private Outcome OpenRepair(TxContext context, AgreementRecord agreement, Core.Crypto.Address device, OrderSource source, OrderTrigger trigger)
    {
        var placed = Place(context, agreement, device, source, 1, agreement.Terms.Price, trigger, out var order);
        if (placed.Succeeded)
        {
            context.Emit(CommerceEvents.RepairOpened, new("agreement", agreement.Id.ToString()), new("order", Text(order.Number)), new("device", device.ToString()),
                new("flag", FlagCodes.Text(trigger.Flag)), new("category", trigger.Category), new("model", trigger.Model));
        }
        else if (source == OrderSource.Readings)
        {
            context.Emit(CommerceEvents.Skipped, new("agreement", agreement.Id.ToString()), new("device", device.ToString()),
                new("code", placed.ErrorCode!), new("level", FlagCodes.Text(trigger.Flag)));
        }
        return placed;
    }

    /// <summary>The owner opens a repair for a fault the device's anchored totals of a day record.</summary>
    private Outcome DoRepair(TxContext context, RepairPayload p)
    {
        var found = OwnersAgreement(context, p.Agreement, out var agreement);
        if (!found.Succeeded)
        {
            return found;
        }
        var terms = agreement.Terms;
        if (terms.Kind != AgreementKind.Repair)
        {
            return CommerceErrors.WrongKind;
        }
        if (!terms.Devices.Contains(p.Device))
        {
            return CommerceErrors.DeviceNotCovered;
        }
        var faults = ReadFaults(context.State, terms.SchemaRef);
        var day = telemetry.Day(context.State, p.Device, terms.SchemaRef, p.Day);
        FlagCode? code = null;
        foreach (var flag in day?.Flags ?? [])
        {
            if (terms.Categories.Contains(p.Category) && faults?.CategoryOf(flag.Code) == p.Category)
            {
                code = flag.Code;
                break;
            }
        }
        if (code is null)
        {
            return CommerceErrors.NoFault;
        }
        return OpenRepair(context, agreement, p.Device, OrderSource.Owner, new OrderTrigger(Core.Crypto.Hash.Zero, p.Day, 0, 0, 0, code.Value, p.Category, string.Empty));
    }

    private Outcome DoMapFaults(TxContext context, FaultMapPayload p)
    {
        if (telemetry.Schema(context.State, p.Schema, p.SchemaVersion) is not { } schema)
        {
            return Telemetry.TelemetryErrors.SchemaNotFound;
        }
        if (!ActsFor(context, schema.Org))
        {
            return CommerceErrors.NotSchemaOwner;
        }
        if (p.Faults.Length == 0 || p.Faults.Select(f => f.Code).Distinct().Count() != p.Faults.Length ||
            !p.Faults.All(f => FlagCodes.IsKnown(f.Code) && Core.Ledger.Identifiers.IsOrgId(f.Category)))
        {
            return CommerceErrors.FaultsInvalid;
        }
        context.State.Set(FaultsKey(p.SchemaRef), Canonical.Encode(new FaultMapRecord(p.Faults, schema.Org, context.Height)));
        context.Emit(CommerceEvents.FaultsMapped, new("schema", p.SchemaRef),
            new("faults", string.Join(",", p.Faults.Select(f => $"{FlagCodes.Text(f.Code)}={f.Category}"))));
        return Outcome.Ok;
    }
}
