using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>
/// The EPCIS 2.0 query interface over the events this node captured (docs/EPCIS.md "Query"): the
/// standard's SimpleEventQuery parameters as the REST binding passes them, every one checked
/// (an unknown one, a malformed time or identifier is refused with <see cref="EpcisErrors.QueryInvalid"/>), results in
/// record-time order, <see cref="DefaultPerPage"/> per page unless perPage says otherwise, and a
/// nextPageToken that continues after the page's last event.
/// </summary>
public sealed class EpcisQuery
{
    public const int DefaultPerPage = 30;
    public const int MaxPerPage = 1_000;
    public const int MaxCandidates = 200_000;

    private readonly HashSet<EpcisEventType>? _types;
    private readonly HashSet<EpcisAction>? _actions;
    private readonly HashSet<string>? _bizSteps;
    private readonly HashSet<string>? _dispositions;
    private readonly HashSet<string>? _bizLocations;
    private readonly HashSet<string>? _readPoints;
    private readonly List<(Match Field, IdPattern[] Patterns)> _matches = [];
    private readonly ulong _timeFrom;
    private readonly ulong _timeTo = ulong.MaxValue;
    private readonly ulong _recordFrom;
    private readonly ulong _recordTo = ulong.MaxValue;

    private EpcisQuery(IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "eventType":
                    _types = [.. List(name, value).Select(t => Enum.TryParse<EpcisEventType>(t.EndsWith("Event", StringComparison.Ordinal) ? t[..^5] : "?", out var type) && t.Length > 5
                        ? type : throw Invalid($"eventType '{t}' is not ObjectEvent, AggregationEvent, TransformationEvent, TransactionEvent or AssociationEvent"))];
                    break;
                case "GE_eventTime": _timeFrom = Time(name, value); break;
                case "LT_eventTime": _timeTo = Time(name, value); break;
                case "GE_recordTime": _recordFrom = Time(name, value); break;
                case "LT_recordTime": _recordTo = Time(name, value); break;
                case "EQ_action":
                    _actions = [.. List(name, value).Select(a => a switch
                    {
                        "ADD" => EpcisAction.Add,
                        "OBSERVE" => EpcisAction.Observe,
                        "DELETE" => EpcisAction.Delete,
                        _ => throw Invalid($"EQ_action '{a}' is not ADD, OBSERVE or DELETE"),
                    })];
                    break;
                case "EQ_bizStep": _bizSteps = [.. List(name, value).Select(v => EpcisDocumentReader.StoredTerm(v, "bizStep"))]; break;
                case "EQ_disposition": _dispositions = [.. List(name, value).Select(v => EpcisDocumentReader.StoredTerm(v, "disposition"))]; break;
                case "EQ_bizLocation": _bizLocations = [.. List(name, value).Select(v => Id(name, v))]; break;
                case "EQ_readPoint": _readPoints = [.. List(name, value).Select(v => Id(name, v))]; break;
                case "perPage":
                    PerPage = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPerPage
                        ? n : throw Invalid($"perPage '{value}' is not a number from 1 to {MaxPerPage}");
                    break;
                case "nextPageToken":
                    After = ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
                        ? after : throw Invalid($"nextPageToken '{value}' is not one this node gave");
                    break;
                default:
                    if (!Matches.TryGetValue(name, out var match))
                    {
                        throw Invalid($"'{name}' is not a query parameter this node answers (eventType, GE_/LT_eventTime, GE_/LT_recordTime, EQ_action, EQ_bizStep, EQ_disposition, " +
                            "EQ_bizLocation, EQ_readPoint, MATCH_epc, MATCH_parentID, MATCH_inputEPC, MATCH_outputEPC, MATCH_anyEPC, MATCH_epcClass, MATCH_inputEPCClass, " +
                            "MATCH_outputEPCClass, MATCH_anyEPCClass, perPage, nextPageToken)");
                    }
                    _matches.Add((match, [.. List(name, value).Select(v => Pattern(name, v))]));
                    break;
            }
        }
    }

    public int PerPage { get; private set; } = DefaultPerPage;

    /// <summary>The event number the page starts after.</summary>
    public ulong After { get; private set; }

    [Flags]
    private enum Match
    {
        Epc = 1,
        Parent = 2,
        Input = 4,
        Output = 8,
        Instance = 16,
        Class = 32,
    }

    private static readonly Dictionary<string, Match> Matches = new(StringComparer.Ordinal)
    {
        ["MATCH_epc"] = Match.Epc | Match.Instance,
        ["MATCH_parentID"] = Match.Parent | Match.Instance,
        ["MATCH_inputEPC"] = Match.Input | Match.Instance,
        ["MATCH_outputEPC"] = Match.Output | Match.Instance,
        ["MATCH_anyEPC"] = Match.Epc | Match.Parent | Match.Input | Match.Output | Match.Instance,
        ["MATCH_epcClass"] = Match.Epc | Match.Class,
        ["MATCH_inputEPCClass"] = Match.Input | Match.Class,
        ["MATCH_outputEPCClass"] = Match.Output | Match.Class,
        ["MATCH_anyEPCClass"] = Match.Epc | Match.Input | Match.Output | Match.Class,
    };

    /// <summary>One identifier, or all serials of a GTIN (an EPC pattern <c>urn:epc:idpat:sgtin:{prefix}.{itemRef}.*</c>): a canonical path, exact or a prefix.</summary>
    private readonly record struct IdPattern(string Id, bool Prefix)
    {
        public bool Matches(string id) => Prefix ? id.StartsWith(Id, StringComparison.Ordinal) : id == Id;
    }

    /// <summary>The query the parameters ask for; a parameter it cannot answer throws <see cref="EpcisQueryException"/>.</summary>
    public static EpcisQuery Parse(IReadOnlyDictionary<string, string> parameters) => new(parameters);

    /// <summary>One page: the matching events after <see cref="After"/>, at most <see cref="PerPage"/>, and whether more follow.</summary>
    public (List<StoredEvent> Events, bool More) Run(EpcisStore store)
    {
        var page = new List<StoredEvent>(PerPage);
        if (_matches.Count > 0)
        {
            // The identifier index names the candidates: events naming any identifier of the most selective MATCH_ parameter.
            var candidates = _matches.Select(m => m.Patterns.SelectMany(p => store.EventsNaming(p.Id, p.Prefix, After, MaxCandidates)).Distinct().Order().ToList())
                .MinBy(c => c.Count)!;
            foreach (var batch in candidates.Chunk(500))
            {
                foreach (var e in store.EventsNumbered(batch))
                {
                    if (Admits(e) && Add(page, e))
                    {
                        return (page, true);
                    }
                }
            }
            return (page, false);
        }
        var from = After + 1;
        while (true)
        {
            var batch = store.Events(from, 1_000);
            foreach (var e in batch)
            {
                if (Admits(e) && Add(page, e))
                {
                    return (page, true);
                }
            }
            if (batch.Count < 1_000)
            {
                return (page, false);
            }
            from = batch[^1].Seq + 1;
        }
    }

    /// <summary>Adds an event to the page; true when the page was already full (so at least one more matches).</summary>
    private bool Add(List<StoredEvent> page, StoredEvent e)
    {
        if (page.Count == PerPage)
        {
            return true;
        }
        page.Add(e);
        return false;
    }

    private bool Admits(StoredEvent e)
    {
        var r = e.Record;
        if ((_types is not null && !_types.Contains(r.Type)) || (_actions is not null && !_actions.Contains(r.Action)) || r.TimeMs < _timeFrom || r.TimeMs >= _timeTo ||
            e.ReceivedMs < _recordFrom || e.ReceivedMs >= _recordTo || (_bizSteps is not null && !_bizSteps.Contains(r.BizStep)) ||
            (_dispositions is not null && !_dispositions.Contains(r.Disposition)))
        {
            return false;
        }
        foreach (var (field, patterns) in _matches)
        {
            if (!Named(r, field).Any(id => patterns.Any(p => p.Matches(id))))
            {
                return false;
            }
        }
        if (_bizLocations is null && _readPoints is null)
        {
            return true;
        }
        using var json = JsonDocument.Parse(e.Json);
        return Place(json.RootElement, "bizLocation", _bizLocations) && Place(json.RootElement, "readPoint", _readPoints);
    }

    private static bool Place(JsonElement e, string field, HashSet<string>? wanted) =>
        wanted is null || (e.TryGetProperty(field, out var place) && place.ValueKind == JsonValueKind.Object && place.TryGetProperty("id", out var id) &&
            id.ValueKind == JsonValueKind.String && EpcisDocumentReader.CanonicalId(id.GetString()!, out _) is { } canonical && wanted.Contains(canonical));

    private static IEnumerable<string> Named(EpcisEventRecord r, Match field)
    {
        var ids = Enumerable.Empty<string>();
        if ((field & Match.Epc) != 0)
        {
            ids = ids.Concat(r.Epcs);
        }
        if ((field & Match.Parent) != 0 && r.Parent.Length > 0)
        {
            ids = ids.Append(r.Parent);
        }
        if ((field & Match.Input) != 0)
        {
            ids = ids.Concat(r.Inputs);
        }
        if ((field & Match.Output) != 0)
        {
            ids = ids.Concat(r.Outputs);
        }
        var classes = (field & Match.Class) != 0;
        return ids.Where(id => IsClass(id) == classes);
    }

    /// <summary>A product class (a GTIN, or a GTIN and lot) rather than one instance.</summary>
    private static bool IsClass(string id) => id.StartsWith("/01/", StringComparison.Ordinal) && !id.Contains("/21/", StringComparison.Ordinal);

    /// <summary>The page as an EPCISQueryDocument: every event with its recordTime, under the @context of the captures they came in.</summary>
    public static string Document(IReadOnlyList<StoredEvent> events, Func<long, StoredCapture?> captureOf)
    {
        var contexts = new List<string> { "\"" + EpcisDocumentReader.StandardContext + "\"" };
        var list = new StringBuilder();
        var seen = new HashSet<long>();
        foreach (var e in events)
        {
            // A page's events come from few captures: each capture's @context is read once.
            if (seen.Add(e.Capture) && captureOf(e.Capture) is { } capture)
            {
                using var context = JsonDocument.Parse(capture.Context);
                var entries = context.RootElement.ValueKind == JsonValueKind.Array ? [.. context.RootElement.EnumerateArray()] : new[] { context.RootElement };
                foreach (var entry in entries.Select(x => x.GetRawText()).Where(x => !contexts.Contains(x)))
                {
                    contexts.Add(entry);
                }
            }
            var node = JsonNode.Parse(e.Json)!.AsObject();
            node["recordTime"] ??= DateTimeOffset.FromUnixTimeMilliseconds((long)e.ReceivedMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            list.Append(list.Length == 0 ? string.Empty : ",").Append(node.ToJsonString());
        }
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return $$"""{"@context":[{{string.Join(',', contexts)}}],"type":"EPCISQueryDocument","schemaVersion":"2.0","creationDate":"{{now}}","epcisBody":{"queryResults":{"queryName":"SimpleEventQuery","resultsBody":{"eventList":[{{list}}""" + "]}}}}";
    }

    private static string[] List(string name, string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length > 0 ? items : throw Invalid($"{name} is empty");
    }

    private static ulong Time(string name, string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && value.Contains('T', StringComparison.Ordinal) &&
            (value.EndsWith('Z') || value.LastIndexOfAny(['+', '-']) > value.IndexOf('T', StringComparison.Ordinal)) && t.ToUnixTimeMilliseconds() >= 0
            ? (ulong)t.ToUnixTimeMilliseconds()
            : throw Invalid($"{name} '{value}' is not a time with its offset (2026-12-07T10:00:00Z, 2026-12-07T11:00:00+01:00)");

    private static string Id(string name, string value) =>
        EpcisDocumentReader.CanonicalId(value, out var error) ?? throw Invalid($"{name}: {error!.Message}");

    private static IdPattern Pattern(string name, string value)
    {
        const string SgtinPattern = "urn:epc:idpat:sgtin:";
        if (value.StartsWith(SgtinPattern, StringComparison.Ordinal))
        {
            var parts = value[SgtinPattern.Length..].Split('.');
            if (parts is [var prefix, var itemRef, "*"] && Gs1Id.Parse($"urn:epc:id:sgtin:{prefix}.{itemRef}.0", out var error) is { } any)
            {
                return new IdPattern($"/01/{any.Key}/21/", true);
            }
            throw Invalid($"{name} '{value}' is not an EPC pattern this node answers (urn:epc:idpat:sgtin:{{company prefix}}.{{indicator and item reference}}.*)");
        }
        return new IdPattern(Id(name, value), false);
    }

    private static EpcisQueryException Invalid(string message) => new(message);
}

/// <summary>A query parameter the node cannot answer (EPCIS QueryParameterException), refused with <see cref="EpcisErrors.QueryInvalid"/>.</summary>
public sealed class EpcisQueryException(string message) : Exception(message);
