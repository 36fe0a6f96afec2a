using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>Where item rules read and write items: the chain's state in execution, or the chain's state with a node's captured-not-yet-anchored events over it.</summary>
public interface IItemLedger
{
    ItemRecord? Item(string id);

    void Put(ItemRecord item);

    /// <summary>Whether an event of this hash was anchored (or, at a node, captured) before.</summary>
    bool HasEvent(in Hash digest);

    /// <summary>What a container holds.</summary>
    IReadOnlyList<string> Contents(string container);

    void SetContents(string container, IReadOnlyList<string> children);

    /// <summary>A registered location (epcis/location/{sgln path}), or null.</summary>
    LocationRecord? Location(string id);

    /// <summary>An item's customs declaration and clearance for entering a country, or null.</summary>
    CustomsRecord? Customs(string item, string country);

    void PutCustoms(string item, string country, CustomsRecord record);

    /// <summary>An item's last inspection by an organisation holding the inspection role, or null.</summary>
    InspectionRecord? Inspection(string item);

    void PutInspection(string item, InspectionRecord record);

    /// <summary>An organisation's epcis roles.</summary>
    EpcisRole Roles(string org);

    /// <summary>Whether <paramref name="device"/> is a registered, active device (one whose signed readings an event's sensor data may be).</summary>
    bool IsActiveDevice(Address device);
}

/// <summary>One broken item rule: the item, the code and the reason in words.</summary>
public sealed record ItemViolation(string Id, string Code, string Reason);

/// <summary>
/// The rules an event must keep for the items it names (docs/EPCIS.md, "Item rules"), and what it
/// changes: commissioning (an ObjectEvent ADD, a transformation's outputs, a parent packed for the
/// first time), containment (aggregation ADD and DELETE), ownership (an owning party as
/// destination), the end of an item's life (decommissioning, destroying, dispensing, a
/// transformation's inputs). The node refuses a capture that breaks one; an event that reaches
/// the chain breaking one anyway (two nodes racing) is recorded and its items flagged.
/// </summary>
public static class ItemRules
{
    /// <summary>Applies the event to the ledger and returns the rules it broke (an item a rule refuses keeps its record).</summary>
    public static List<ItemViolation> Apply(IItemLedger ledger, EpcisEventRecord e, string org)
    {
        var violations = new List<ItemViolation>();
        void Break(string id, string code, string reason) => violations.Add(new(id, code, reason));
        if (ledger.HasEvent(e.Digest))
        {
            Break(string.Empty, EpcisErrors.DuplicateEvent, $"event {e.HashText} was captured before");
            return violations;
        }
        foreach (var device in e.Devices)
        {
            if (!ledger.IsActiveDevice(device))
            {
                Break(string.Empty, EpcisErrors.SensorDeviceUnknown, $"the event's sensor data names device {device}, which is not a registered, active device of this ledger");
            }
        }
        if (Places(ledger, e, org, Break))
        {
            // Customs and inspectors act at the border: the items stay where they were until an event places them in the country.
            e = e with { Location = string.Empty };
        }
        switch (e.Type)
        {
            case EpcisEventType.Object when e.Action == EpcisAction.Add:
                foreach (var id in e.Epcs)
                {
                    Commission(ledger, e, org, id, Break);
                }
                break;
            case EpcisEventType.Object or EpcisEventType.Transaction:
                foreach (var id in e.Epcs.Where(IsTracked))
                {
                    if (Live(ledger, id, e, Break) is { } item)
                    {
                        ledger.Put(Touch(Ended(item, e), e, org));
                    }
                }
                break;
            case EpcisEventType.Aggregation:
                Aggregate(ledger, e, org, Break);
                break;
            case EpcisEventType.Transformation:
                foreach (var id in e.Inputs.Where(IsTracked))
                {
                    if (Live(ledger, id, e, Break) is { } item)
                    {
                        // An instance is used up; a lot can feed several transformations.
                        ledger.Put(Touch(IsLot(id) ? item : item with { Status = ItemStatus.Transformed }, e, org));
                    }
                }
                foreach (var id in e.Outputs)
                {
                    Commission(ledger, e, org, id, Break);
                }
                break;
            case EpcisEventType.Association:
                foreach (var id in e.Epcs.Append(e.Parent).Where(i => i.Length > 0 && IsTracked(i)))
                {
                    if (ledger.Item(id) is { } item)
                    {
                        ledger.Put(Touch(item, e, org));
                    }
                }
                break;
        }
        return violations;
    }

    /// <summary>
    /// The rules of places (docs/EPCIS.md "Locations, borders and customs"): customs declarations
    /// and clearances by organisations holding the customs role, inspection results by those holding
    /// the inspection role, an item seen somewhere faster than travel allows from where it last was,
    /// and an item placed in another country without a clearance. Read before the event moves the
    /// items. True for an event at the border (a declaration, a clearance, an inspection by an
    /// inspector), which does not move them.
    /// </summary>
    private static bool Places(IItemLedger ledger, EpcisEventRecord e, string org, Action<string, string, string> broke)
    {
        var here = e.Location.Length > 0 ? ledger.Location(e.Location) : null;
        var atCustoms = e.BizStep is ItemPlaces.Declaring or ItemPlaces.Clearing;
        if (here is null && !atCustoms && e.BizStep != "inspecting")
        {
            // Most events: no registered place, no customs or inspection step.
            return false;
        }
        var named = e.Epcs.Concat(e.Inputs).Append(e.Parent).Where(i => i.Length > 0 && IsTracked(i)).Distinct(StringComparer.Ordinal).ToList();
        if (atCustoms)
        {
            if ((ledger.Roles(org) & EpcisRole.Customs) == 0)
            {
                broke(string.Empty, EpcisErrors.RoleMissing, $"organisation '{org}' does not hold the epcis customs role; only customs records declarations and clearances");
                return true;
            }
            if (here is null)
            {
                broke(string.Empty, EpcisErrors.LocationUnknown, $"a declaration or clearance names the customs office as its bizLocation, a location registered with its country (`thingledger epcis location`); {(e.Location.Length == 0 ? "this one names none" : $"{Show(e.Location)} is not registered")}");
                return true;
            }
            foreach (var id in named)
            {
                var customs = ledger.Customs(id, here.Country);
                if (e.BizStep == ItemPlaces.Declaring)
                {
                    ledger.PutCustoms(id, here.Country, new CustomsRecord(e.Digest, org, e.TimeMs, default, string.Empty, 0));
                }
                else if (customs is null)
                {
                    broke(id, EpcisErrors.NotDeclared, $"{Show(id)} has no customs declaration for {here.Country}; customs clears what was declared");
                }
                else if (ledger.Inspection(id) is { Conformant: false } failed)
                {
                    broke(id, EpcisErrors.InspectionFailed, $"{Show(id)} failed its inspection by {failed.Org} at {Time(failed.TimeMs)}; it is inspected again and found conformant before it is cleared");
                }
                else
                {
                    ledger.PutCustoms(id, here.Country, customs with { Cleared = e.Digest, ClearedBy = org, ClearedMs = e.TimeMs });
                }
            }
            return true;
        }
        if (e.BizStep == "inspecting" && (ledger.Roles(org) & EpcisRole.Inspection) != 0)
        {
            if (e.Disposition is "conformant" or "non_conformant")
            {
                foreach (var id in named)
                {
                    ledger.PutInspection(id, new InspectionRecord(e.Disposition == "conformant", e.Digest, org, e.TimeMs));
                }
            }
            return true;
        }
        if (here is null)
        {
            return false;
        }
        foreach (var id in named)
        {
            if (ledger.Item(id) is not { } item || item.LastLocation.Length == 0 || item.LastLocation == e.Location || ledger.Location(item.LastLocation) is not { } before)
            {
                continue;
            }
            var metres = ItemPlaces.DistanceMetres(before, here);
            var ms = e.TimeMs > item.LastMs ? e.TimeMs - item.LastMs : item.LastMs - e.TimeMs;
            if ((ulong)metres * 3_600 > (ulong)ItemPlaces.MaxKmPerHour * ms)
            {
                broke(id, EpcisErrors.ImpossibleTravel, $"{Show(id)} was at {Show(item.LastLocation)} ({before.Country}) at {Time(item.LastMs)} and is seen at {Show(e.Location)} ({here.Country}) " +
                    $"at {Time(e.TimeMs)}: {metres / 1_000} km in {ms / 60_000} min is faster than {ItemPlaces.MaxKmPerHour} km/h; two items carry this identifier");
            }
            else if (before.Country != here.Country && !Cleared(ledger, item, here.Country))
            {
                broke(id, EpcisErrors.NotCleared, $"{Show(id)} comes from {before.Country} and is {(e.BizStep.Length > 0 ? e.BizStep : "seen")} in {here.Country} with no customs clearance for {here.Country}, of it or of a container it is in");
            }
        }
        return false;
    }

    /// <summary>Whether customs cleared the item, or a container it is in, for entering <paramref name="country"/>.</summary>
    private static bool Cleared(IItemLedger ledger, ItemRecord item, string country)
    {
        for (var (at, depth) = (item, 0); at is not null && depth < 16; at = at.Container.Length > 0 ? ledger.Item(at.Container) : null, depth++)
        {
            if (ledger.Customs(at.Id, country) is { IsCleared: true })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether the rules follow an identifier one by one: an instance (serial, SSCC, GRAI…) or a
    /// lot; a product class without a lot (a GTIN alone) is not an item.
    /// </summary>
    public static bool IsTracked(string id) => !(id.StartsWith("/01/", StringComparison.Ordinal) && !id.Contains("/21/", StringComparison.Ordinal) && !id.Contains("/10/", StringComparison.Ordinal));

    public static bool IsLot(string id) => id.StartsWith("/01/", StringComparison.Ordinal) && id.Contains("/10/", StringComparison.Ordinal);

    private static void Commission(IItemLedger ledger, EpcisEventRecord e, string org, string id, Action<string, string, string> broke)
    {
        if (!IsTracked(id))
        {
            return;
        }
        if (ledger.Item(id) is { } existing)
        {
            broke(id, EpcisErrors.AlreadyCommissioned,
                $"{Show(id)} was commissioned by {existing.CommissionedBy} at {Time(existing.CommissionedMs)}; a second commissioning of one serial is a clone");
            return;
        }
        ledger.Put(new ItemRecord(id, ItemStatus.Active, org, e.TimeMs, string.Empty, e.Owner.Length > 0 ? e.Owner : org, e.Digest, e.TimeMs, e.Location, org, 1, 0));
    }

    /// <summary>The item if it is commissioned and in circulation; otherwise the broken rule.</summary>
    private static ItemRecord? Live(IItemLedger ledger, string id, EpcisEventRecord e, Action<string, string, string> broke)
    {
        var item = ledger.Item(id);
        if (item is null)
        {
            broke(id, EpcisErrors.NotCommissioned, $"{Show(id)} was never commissioned: no organisation put this serial into circulation");
            return null;
        }
        if (item.Status == ItemStatus.Active)
        {
            return item;
        }
        if (item.Status == ItemStatus.Dispensed && e.BizStep == "dispensing")
        {
            broke(id, EpcisErrors.AlreadyDispensed, $"{Show(id)} was dispensed at {Time(item.LastMs)} by {item.LastOrg}; a pack is dispensed once");
        }
        else
        {
            broke(id, EpcisErrors.ItemInactive, $"{Show(id)} is {item.Status.ToString().ToLowerInvariant()} (since {Time(item.LastMs)}, by {item.LastOrg}) and cannot be seen again");
        }
        return null;
    }

    /// <summary>What the event's business step does to the item's life.</summary>
    private static ItemRecord Ended(ItemRecord item, EpcisEventRecord e) => e.Action == EpcisAction.Delete || e.BizStep == "decommissioning" ? item with { Status = ItemStatus.Decommissioned }
            : e.BizStep == "destroying" ? item with { Status = ItemStatus.Destroyed }
            : e.BizStep == "dispensing" ? item with { Status = ItemStatus.Dispensed }
            : item;

    private static void Aggregate(IItemLedger ledger, EpcisEventRecord e, string org, Action<string, string, string> broke)
    {
        var parent = e.Parent;
        if (parent.Length > 0)
        {
            var existing = ledger.Item(parent);
            if (existing is null && e.Action == EpcisAction.Add)
            {
                // A logistic unit comes into being when it is first packed.
                ledger.Put(new ItemRecord(parent, ItemStatus.Active, org, e.TimeMs, string.Empty, e.Owner.Length > 0 ? e.Owner : org, e.Digest, e.TimeMs, e.Location, org, 1, 0));
            }
            else if (Live(ledger, parent, e, broke) is { } live)
            {
                ledger.Put(Touch(live, e, org));
            }
        }
        var contents = parent.Length > 0 ? ledger.Contents(parent).ToList() : [];
        var children = e.Action == EpcisAction.Delete && e.Epcs.Length == 0 ? [.. contents] : e.Epcs.Where(IsTracked).ToList();
        foreach (var id in children)
        {
            if (Live(ledger, id, e, broke) is not { } item)
            {
                continue;
            }
            if (e.Action == EpcisAction.Add)
            {
                if (item.Container.Length > 0 && item.Container != parent)
                {
                    broke(id, EpcisErrors.InAnotherContainer, $"{Show(id)} is in {Show(item.Container)}; it is unpacked from it (an AggregationEvent DELETE) before it goes into {Show(parent)}");
                    continue;
                }
                item = item with { Container = parent };
                if (!contents.Contains(id))
                {
                    contents.Add(id);
                }
            }
            else if (e.Action == EpcisAction.Delete)
            {
                item = item with { Container = string.Empty };
                contents.Remove(id);
            }
            ledger.Put(Touch(item, e, org));
        }
        if (parent.Length > 0 && e.Action != EpcisAction.Observe)
        {
            ledger.SetContents(parent, contents);
        }
    }

    /// <summary>The item as the event leaves it: its last event, place and organisation, and a new owner when the event names an owning party.</summary>
    private static ItemRecord Touch(ItemRecord item, EpcisEventRecord e, string org) => item with
    {
        LastEvent = e.Digest,
        // When and where it was last seen at a place (what the travel rule compares), or its last event's time while it has no place.
        LastMs = e.Location.Length > 0 || item.LastLocation.Length == 0 ? e.TimeMs : item.LastMs,
        LastLocation = e.Location.Length > 0 ? e.Location : item.LastLocation,
        LastOrg = org,
        Owner = e.Owner.Length > 0 ? e.Owner : item.Owner,
        Events = item.Events + 1,
    };

    private static string Show(string id) => id.StartsWith('/') ? Gs1Canonical.Root + id : id;

    private static string Time(ulong ms) => DateTimeOffset.FromUnixTimeMilliseconds((long)ms).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
