using System.Text.Json;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Epcis;

/// <summary>One event of a document, checked: its position, its own JSON (as written), its hash and what the chain records of it.</summary>
public sealed record EpcisParsedEvent(int Index, string Json, string Hash, EpcisEventRecord Record);

/// <summary>Why an event (index ≥ 0) or the document (index −1) was refused: a stable code and the reason in words.</summary>
public sealed record EpcisEventError(int Index, string Code, string Message);

/// <summary>A document that was read: its @context (to hash its events again) and its events, or what was wrong with it.</summary>
public sealed record EpcisReadResult(string Context, IReadOnlyList<EpcisParsedEvent> Events, IReadOnlyList<EpcisEventError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Reads an EPCIS 2.0 JSON/JSON-LD document (docs/EPCIS.md, "Capture"): checks the document, then
/// every event on its own — type, time and offset, action, the fields its type requires, CBV
/// business steps and dispositions, every identifier (a GS1 key with a valid check digit, or
/// another absolute URI), quantities, a transformation's outputs not reusing its inputs, no event
/// twice — and gives each event's hash and the record the chain keeps. Item rules that need the
/// chain's state (commissioned, in another container…) are ItemRules'.
/// </summary>
public static class EpcisDocumentReader
{
    /// <summary>The EPCIS 2.0 JSON-LD context.</summary>
    public const string StandardContext = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld";

    public const int MaxDocumentBytes = 8 * 1024 * 1024;
    public const int MaxEvents = 10_000;

    private static readonly HashSet<string> BizSteps =
    [
        "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning", "creating_class_instance", "cycle_counting", "decommissioning",
        "departing", "destroying", "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting", "installing", "killing", "loading",
        "other", "packing", "picking", "receiving", "removing", "repackaging", "repairing", "replacing", "reserving", "retail_selling", "sampling",
        "sensor_reporting", "shipping", "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading", "unpacking", "void_shipping",
    ];

    private static readonly HashSet<string> Dispositions =
    [
        "active", "available", "completeness_verified", "completeness_inferred", "conformant", "container_closed", "container_open", "damaged", "destroyed",
        "dispensed", "disposed", "encoded", "expired", "in_progress", "in_transit", "inactive", "mismatch_instance", "mismatch_class", "mismatch_quantity",
        "needs_replacement", "no_pedigree_match", "non_conformant", "non_sellable_other", "partially_dispensed", "recalled", "reserved", "retail_sold",
        "returned", "sellable_accessible", "sellable_not_accessible", "stolen", "unavailable", "unknown",
    ];

    /// <summary>The fields EPCIS 2.0 defines on an event (anything else must be a prefixed extension).</summary>
    private static readonly HashSet<string> EventFields =
    [
        "type", "eventTime", "eventTimeZoneOffset", "recordTime", "eventID", "certificationInfo", "errorDeclaration", "epcList", "parentID", "childEPCs",
        "inputEPCList", "outputEPCList", "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList", "action", "transformationID",
        "bizStep", "disposition", "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList", "sourceList", "destinationList",
        "sensorElementList", "ilmd",
    ];

    /// <summary>Reads a document; <paramref name="nowMs"/> and <paramref name="maxAheadMs"/> bound event times (an event cannot have happened later than now).</summary>
    public static EpcisReadResult Read(ReadOnlySpan<byte> utf8, ulong nowMs, ulong maxAheadMs)
    {
        if (utf8.Length > MaxDocumentBytes)
        {
            return Refused(EpcisErrors.DocumentTooLarge, $"the document has {utf8.Length:N0} bytes; a capture takes at most {MaxDocumentBytes:N0}");
        }
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            return Refused(EpcisErrors.JsonInvalid, $"the document is not JSON: {e.Message}");
        }
        using (json)
        {
            return Read(json.RootElement, nowMs, maxAheadMs);
        }
    }

    public static EpcisReadResult Read(JsonElement document, ulong nowMs, ulong maxAheadMs)
    {
        if (document.ValueKind != JsonValueKind.Object)
        {
            return Refused(EpcisErrors.DocumentInvalid, "an EPCIS document is a JSON object");
        }
        if (!document.TryGetProperty("@context", out var context) || !MentionsEpcisContext(context))
        {
            return Refused(EpcisErrors.DocumentInvalid, $"the document's @context does not name the EPCIS 2.0 context ({StandardContext})");
        }
        if (Text(document, "type") != "EPCISDocument")
        {
            return Refused(EpcisErrors.DocumentInvalid, "the document's type is not EPCISDocument");
        }
        if (Text(document, "schemaVersion") is not "2.0")
        {
            return Refused(EpcisErrors.DocumentInvalid, "the document's schemaVersion is not \"2.0\"");
        }
        if (Text(document, "creationDate") is not { } created || EpcisEventHash.Timestamp(created) is null)
        {
            return Refused(EpcisErrors.DocumentInvalid, "the document's creationDate is missing or not a date-time with its offset");
        }
        if (!document.TryGetProperty("epcisBody", out var body) || body.ValueKind != JsonValueKind.Object ||
            !body.TryGetProperty("eventList", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return Refused(EpcisErrors.DocumentInvalid, "the document has no epcisBody.eventList");
        }
        var count = list.GetArrayLength();
        if (count == 0)
        {
            return Refused(EpcisErrors.DocumentInvalid, "the document's eventList is empty");
        }
        if (count > MaxEvents)
        {
            return Refused(EpcisErrors.DocumentTooLarge, $"the document has {count:N0} events; a capture takes at most {MaxEvents:N0}");
        }
        var prefixes = EpcisContext.Of(document);
        var events = new List<EpcisParsedEvent>(count);
        var errors = new List<EpcisEventError>();
        var seen = new Dictionary<Hash, int>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var error = ReadEvent(item, index, prefixes, nowMs, maxAheadMs, out var parsed);
            if (error is null && !seen.TryAdd(parsed!.Record.Digest, index))
            {
                error = new(index, EpcisErrors.DuplicateEvent, $"event {index} is event {seen[parsed.Record.Digest]} again (the same hash {parsed.Hash})");
            }
            if (error is not null)
            {
                errors.Add(error);
            }
            else
            {
                events.Add(parsed!);
            }
            index++;
        }
        return new(context.GetRawText(), errors.Count == 0 ? events : [], errors);
    }

    private static EpcisReadResult Refused(string code, string message) => new(string.Empty, [], [new(-1, code, message)]);

    private static bool MentionsEpcisContext(JsonElement context) => context.ValueKind switch
    {
        JsonValueKind.String => context.GetString()!.Contains("epcis-context", StringComparison.Ordinal),
        JsonValueKind.Array => context.EnumerateArray().Any(MentionsEpcisContext),
        _ => false,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static EpcisEventError? ReadEvent(JsonElement e, int index, EpcisContext context, ulong nowMs, ulong maxAheadMs, out EpcisParsedEvent? parsed)
    {
        parsed = null;
        EpcisEventError Fail(string code, string message) => new(index, code, $"event {index}: {message}");
        if (e.ValueKind != JsonValueKind.Object)
        {
            return Fail(EpcisErrors.EventInvalid, "an event is a JSON object");
        }
        var type = Text(e, "type") switch
        {
            "ObjectEvent" => EpcisEventType.Object,
            "AggregationEvent" => EpcisEventType.Aggregation,
            "TransformationEvent" => EpcisEventType.Transformation,
            "TransactionEvent" => EpcisEventType.Transaction,
            "AssociationEvent" => EpcisEventType.Association,
            _ => (EpcisEventType)0,
        };
        if (type == 0)
        {
            return Fail(EpcisErrors.EventType, $"type '{Text(e, "type") ?? "(none)"}' is not ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent or AssociationEvent");
        }
        foreach (var property in e.EnumerateObject())
        {
            if (EpcisContext.IsExtension(property.Name))
            {
                if (context.UndefinedPrefix(property.Name) is { } prefix)
                {
                    return Fail(EpcisErrors.EventInvalid, $"extension '{property.Name}' uses the prefix '{prefix}', which the document's @context does not define");
                }
            }
            else if (!EventFields.Contains(property.Name))
            {
                return Fail(EpcisErrors.EventInvalid, $"'{property.Name}' is not an EPCIS event field (an extension is prefixed, e.g. example:{property.Name}, with the prefix in @context)");
            }
        }
        if (Text(e, "eventTime") is not { } eventTime || EpcisEventHash.Timestamp(eventTime) is not { } utc)
        {
            return Fail(EpcisErrors.TimeInvalid, "eventTime is missing or not a date-time with its offset (e.g. 2024-05-01T10:00:00.000+02:00)");
        }
        var timeMs = (ulong)DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        if (timeMs > nowMs + maxAheadMs)
        {
            return Fail(EpcisErrors.EventInFuture, $"eventTime {eventTime} is {(timeMs - nowMs) / 1000:N0} s ahead of this node's clock; events are captured after they happen");
        }
        if (Text(e, "eventTimeZoneOffset") is not { } offset || !IsOffset(offset))
        {
            return Fail(EpcisErrors.EventInvalid, "eventTimeZoneOffset is missing or not ±hh:mm");
        }
        var action = Text(e, "action") switch { "ADD" => EpcisAction.Add, "OBSERVE" => EpcisAction.Observe, "DELETE" => EpcisAction.Delete, _ => EpcisAction.None };
        if ((type == EpcisEventType.Transformation) != (action == EpcisAction.None))
        {
            return Fail(EpcisErrors.EventInvalid, type == EpcisEventType.Transformation
                ? "a TransformationEvent has no action"
                : $"action '{Text(e, "action") ?? "(none)"}' is not ADD, OBSERVE or DELETE");
        }
        var bizStep = Term(e, "bizStep", "BizStep-", BizSteps, out var vocabularyError);
        var disposition = vocabularyError is null ? Term(e, "disposition", "Disp-", Dispositions, out vocabularyError) : string.Empty;
        if (vocabularyError is not null)
        {
            return Fail(EpcisErrors.Vocabulary, vocabularyError);
        }
        Gs1Error? idError = null;
        var epcs = new List<string>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var parent = Id(e, "parentID", ref idError) ?? string.Empty;
        foreach (var (field, into) in new[] { ("epcList", epcs), ("childEPCs", epcs), ("inputEPCList", inputs), ("outputEPCList", outputs) })
        {
            Ids(e, field, into, ref idError);
        }
        foreach (var (field, into) in new[] { ("quantityList", epcs), ("childQuantityList", epcs), ("inputQuantityList", inputs), ("outputQuantityList", outputs) })
        {
            Classes(e, field, into, ref idError);
        }
        var location = Place(e, "bizLocation", ref idError) ?? Place(e, "readPoint", ref idError) ?? string.Empty;
        var owner = OwningParty(e, ref idError);
        if (idError is not null)
        {
            return Fail(idError.Code, idError.Message);
        }
        var structural = type switch
        {
            EpcisEventType.Object when epcs.Count == 0 => "an ObjectEvent names at least one EPC (epcList) or class (quantityList)",
            EpcisEventType.Aggregation or EpcisEventType.Association when action != EpcisAction.Observe && parent.Length == 0 =>
                $"an {type}Event with action {Text(e, "action")} names its parentID",
            EpcisEventType.Aggregation or EpcisEventType.Association when action == EpcisAction.Add && epcs.Count == 0 => "adding to a parent names the children (childEPCs or childQuantityList)",
            EpcisEventType.Transformation when inputs.Count == 0 || outputs.Count == 0 => "a TransformationEvent has inputs and outputs (inputEPCList/inputQuantityList, outputEPCList/outputQuantityList)",
            EpcisEventType.Transaction when !e.TryGetProperty("bizTransactionList", out _) => "a TransactionEvent names its business transactions (bizTransactionList)",
            _ => null,
        };
        if (structural is not null)
        {
            return Fail(EpcisErrors.EventInvalid, structural);
        }
        if (type == EpcisEventType.Transformation && outputs.FirstOrDefault(inputs.Contains) is { } reused)
        {
            return Fail(EpcisErrors.OutputIsInput, $"output {Gs1Canonical.Root}{reused} is also an input: a transformation makes new identifiers");
        }
        var flags = SensorAlarm(e) ? EpcisEventFlags.SensorAlarm : EpcisEventFlags.None;
        if (SensorDevices(e, out var deviceError) is not { } devices)
        {
            return Fail(EpcisErrors.IdInvalid, deviceError!);
        }
        flags |= devices.Length > 0 ? EpcisEventFlags.DeviceSeries : EpcisEventFlags.None;
        var hash = EpcisEventHash.Hash(EpcisEventHash.PreHash(e, context));
        var record = new EpcisEventRecord(new Hash(EpcisEventHash.Digest(hash)), type, action, timeMs, bizStep, disposition, location, parent,
            [.. epcs.Distinct(StringComparer.Ordinal)], [.. inputs.Distinct(StringComparer.Ordinal)], [.. outputs.Distinct(StringComparer.Ordinal)], owner, flags)
        { Devices = devices };
        parsed = new EpcisParsedEvent(index, e.GetRawText(), hash, record);
        return null;
    }

    private static bool IsOffset(string offset) =>
        offset.Length == 6 && offset[0] is '+' or '-' && char.IsAsciiDigit(offset[1]) && char.IsAsciiDigit(offset[2]) && offset[3] == ':' &&
        char.IsAsciiDigit(offset[4]) && char.IsAsciiDigit(offset[5]);

    /// <summary>
    /// A business step or disposition (<paramref name="field"/> bizStep or disposition) as the chain
    /// keeps it: the bare term for a CBV one, in any of its forms (<c>shipping</c>,
    /// <c>urn:epcglobal:cbv:bizstep:shipping</c>, <c>https://ref.gs1.org/cbv/BizStep-shipping</c>), the URI otherwise.
    /// </summary>
    public static string StoredTerm(string value, string field)
    {
        var web = EpcisEventHash.Canonical(value, string.Empty, field);
        var cbv = EpcisEventHash.CbvRoot + (field == "bizStep" ? "BizStep-" : "Disp-");
        return web.StartsWith(cbv, StringComparison.Ordinal) ? web[cbv.Length..] : web;
    }

    /// <summary>A CBV term: the bare term for the standard's own (checked against CBV 2.0), the URI otherwise.</summary>
    private static string Term(JsonElement e, string field, string stem, HashSet<string> terms, out string? error)
    {
        error = null;
        if (!e.TryGetProperty(field, out var value))
        {
            return string.Empty;
        }
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
        {
            error = $"{field} is not a string";
            return string.Empty;
        }
        var term = StoredTerm(value.GetString()!, field);
        if (term.Contains(':', StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(term, UriKind.Absolute, out _))
            {
                error = $"{field} '{value.GetString()}' is neither a CBV 2.0 term nor a URI";
            }
            return term;
        }
        if (!terms.Contains(term))
        {
            error = $"{field} '{value.GetString()}' is not a CBV 2.0 {(stem == "BizStep-" ? "business step" : "disposition")} (a private one is written as a URI)";
        }
        return term;
    }

    /// <summary>An identifier as the chain keeps it: a GS1 key's canonical Digital Link path (check digit checked), or another absolute URI as it is.</summary>
    public static string? CanonicalId(string raw, out Gs1Error? error)
    {
        error = null;
        var value = raw.Trim();
        if (Gs1Canonical.DigitalLink(value) is { } link)
        {
            if (Gs1Canonical.CheckDigitError(link) is { } wrong)
            {
                error = new(EpcisErrors.CheckDigit, $"'{value}': {wrong}");
                return null;
            }
            return link[Gs1Canonical.Root.Length..];
        }
        if (value.StartsWith("urn:epc:", StringComparison.Ordinal))
        {
            error = new(EpcisErrors.IdInvalid, $"'{value}' is not an EPC URN of a GS1 key (urn:epc:id:sgtin:…, sscc, sgln, grai, giai, gdti, pgln…, or urn:epc:class:lgtin:…)");
            return null;
        }
        if (value.Length == 0 || value.Length > EpcisEventRecord.MaxIdBytes || !Uri.TryCreate(value, UriKind.Absolute, out _))
        {
            error = new(EpcisErrors.IdInvalid, $"'{value}' is not an absolute URI");
            return null;
        }
        return value;
    }

    private static string? Id(JsonElement e, string field, ref Gs1Error? error)
    {
        if (error is not null || !e.TryGetProperty(field, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            error = new(EpcisErrors.EventInvalid, $"{field} is not a string");
            return null;
        }
        var id = CanonicalId(value.GetString()!, out var why);
        error = why is null ? null : new(why.Code, $"{field}: {why.Message}");
        return id;
    }

    /// <summary>The list <paramref name="field"/> of the event, when there is one and nothing was refused before; a field that is not a list is refused.</summary>
    private static bool TryList(JsonElement e, string field, ref Gs1Error? error, out JsonElement list)
    {
        if (error is not null || !e.TryGetProperty(field, out list))
        {
            list = default;
            return false;
        }
        if (list.ValueKind != JsonValueKind.Array)
        {
            error = new(EpcisErrors.EventInvalid, $"{field} is not a list");
            return false;
        }
        return true;
    }

    private static void Ids(JsonElement e, string field, List<string> into, ref Gs1Error? error)
    {
        if (!TryList(e, field, ref error, out var list))
        {
            return;
        }
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                error = new(EpcisErrors.EventInvalid, $"{field} holds a value that is not a string");
                return;
            }
            if (CanonicalId(item.GetString()!, out var why) is not { } id)
            {
                error = new(why!.Code, $"in {field}: {why.Message}");
                return;
            }
            into.Add(id);
        }
    }

    private static void Classes(JsonElement e, string field, List<string> into, ref Gs1Error? error)
    {
        if (!TryList(e, field, ref error, out var list))
        {
            return;
        }
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || Text(item, "epcClass") is not { } epcClass)
            {
                error = new(EpcisErrors.EventInvalid, $"every element of {field} has an epcClass");
                return;
            }
            if (item.TryGetProperty("quantity", out var quantity) && (quantity.ValueKind != JsonValueKind.Number || quantity.GetDouble() < 0))
            {
                error = new(EpcisErrors.EventInvalid, $"a quantity in {field} is not a number of at least 0");
                return;
            }
            if (CanonicalId(epcClass, out var why) is not { } id)
            {
                error = new(why!.Code, $"in {field}: {why.Message}");
                return;
            }
            into.Add(id);
        }
    }

    private static string? Place(JsonElement e, string field, ref Gs1Error? error)
    {
        if (error is not null || !e.TryGetProperty(field, out var place))
        {
            return null;
        }
        if (place.ValueKind != JsonValueKind.Object || Text(place, "id") is not { } id)
        {
            error = new(EpcisErrors.EventInvalid, $"{field} is an object with an id");
            return null;
        }
        var canonical = CanonicalId(id, out var why);
        error = why is null ? null : new(why.Code, $"{field}: {why.Message}");
        return canonical;
    }

    private static string OwningParty(JsonElement e, ref Gs1Error? error)
    {
        if (error is not null || !e.TryGetProperty("destinationList", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }
        foreach (var entry in list.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object && Text(entry, "type") is { } type &&
                EpcisEventHash.Canonical(type, "destination", "type") == EpcisEventHash.CbvRoot + "SDT-owning_party" && Text(entry, "destination") is { } party)
            {
                var id = CanonicalId(party, out var why);
                error = why is null ? null : new(why.Code, $"destinationList: {why.Message}");
                return id ?? string.Empty;
            }
        }
        return string.Empty;
    }

    /// <summary>The prefix of a sensorMetadata deviceID naming a device registered on this ledger.</summary>
    public const string DevicePrefix = "urn:thingledger:device:";

    /// <summary>The registered devices the event's sensor elements name (sensorMetadata.deviceID urn:thingledger:device:{id}), distinct, in order; null with the reason for a malformed one.</summary>
    private static Address[]? SensorDevices(JsonElement e, out string? error)
    {
        error = null;
        var devices = new List<Address>();
        if (!e.TryGetProperty("sensorElementList", out var elements) || elements.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        foreach (var element in elements.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("sensorMetadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object &&
                metadata.TryGetProperty("deviceID", out var id) && id.ValueKind == JsonValueKind.String && id.GetString()!.StartsWith(DevicePrefix, StringComparison.Ordinal))
            {
                if (!Address.TryParse(id.GetString()![DevicePrefix.Length..], out var device))
                {
                    error = $"sensorMetadata deviceID '{id.GetString()}' does not name a device id ({DevicePrefix}tl…)";
                    return null;
                }
                if (!devices.Contains(device))
                {
                    devices.Add(device);
                }
            }
        }
        if (devices.Count > EpcisEventRecord.MaxDevices)
        {
            error = $"the event's sensor data names {devices.Count} devices; at most {EpcisEventRecord.MaxDevices}";
            return null;
        }
        return [.. devices];
    }

    private static bool SensorAlarm(JsonElement e) =>
        e.TryGetProperty("sensorElementList", out var elements) && elements.ValueKind == JsonValueKind.Array &&
        elements.EnumerateArray().Any(element => element.ValueKind == JsonValueKind.Object && element.TryGetProperty("sensorReport", out var reports) &&
            reports.ValueKind == JsonValueKind.Array && reports.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("exception", out _)));
}
