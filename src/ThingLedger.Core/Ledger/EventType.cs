namespace ThingLedger.Core.Ledger;

/// <summary>What an event attribute's value names, for the activity index (<c>Storage/ActivityTopics</c>).</summary>
public enum Topic : byte
{
    /// <summary>Plain text: not indexed.</summary>
    None = 0,

    /// <summary>An address (an account or a device): the tx appears in that address's activity.</summary>
    Address = 1,

    /// <summary>A token symbol: the tx appears in that token's movements.</summary>
    Token = 2,
}

/// <summary>One attribute an event type may carry, and the index topic its value feeds.</summary>
public sealed record EventField(string Key, Topic Topic = Topic.None);

/// <summary>
/// A kind of event a module emits: its module, its name, and the attributes it may carry with
/// the index topic each feeds. Modules emit only declared types (<c>TxContext.Emit</c> checks),
/// so what the activity index finds in a receipt follows from the declaration, not from how an
/// attribute happens to be named or what its value looks like.
/// </summary>
public sealed class EventType
{
    private readonly Dictionary<string, EventField> _fields;

    private readonly Func<string, Topic?>? _open;

    public EventType(string module, string name, params EventField[] fields)
        : this(module, name, null, fields)
    {
    }

    private EventType(string module, string name, Func<string, Topic?>? open, EventField[] fields)
    {
        _open = open;
        Module = module;
        Name = name;
        Fields = fields;
        _fields = new Dictionary<string, EventField>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (!_fields.TryAdd(field.Key, field))
            {
                throw new ArgumentException($"event {module}/{name} declares the attribute '{field.Key}' twice", nameof(fields));
            }
        }
    }

    public string Module { get; }

    public string Name { get; }

    public IReadOnlyList<EventField> Fields { get; }

    /// <summary>
    /// A type whose attributes beyond <paramref name="fields"/> are named by its emitter's own
    /// declarations (a contract's events, declared in its metadata): <paramref name="open"/> gives
    /// the topic such an attribute key feeds, from the key alone, or null for a key it refuses.
    /// </summary>
    public static EventType Open(string module, string name, Func<string, Topic?> open, params EventField[] fields) =>
        new(module, name, open, fields);

    /// <summary>The topic the attribute <paramref name="key"/> feeds, or null when this type declares no such attribute.</summary>
    public Topic? TopicOf(string key) => _fields.TryGetValue(key, out var field) ? field.Topic : _open?.Invoke(key);

    /// <summary>
    /// This event with <paramref name="attributes"/>, or why it may not be emitted: an attribute the
    /// type does not declare, or an address attribute whose value is not an address.
    /// </summary>
    public LedgerEvent Create(EventAttribute[] attributes)
    {
        foreach (var attribute in attributes)
        {
            var topic = TopicOf(attribute.Key)
                ?? throw new EventNotDeclaredException($"event {Module}/{Name} declares no attribute '{attribute.Key}'");
            if (topic == Topic.Address && !Crypto.Address.TryParse(attribute.Value, out _))
            {
                throw new EventNotDeclaredException($"event {Module}/{Name}'s attribute '{attribute.Key}' is declared an address, but holds '{attribute.Value}'");
            }
        }
        return new LedgerEvent(Module, Name, attributes);
    }

    public override string ToString() => $"{Module}/{Name}";
}

/// <summary>A module emitted an event, or an attribute, that no declaration allows: the module is faulty (<see cref="ErrorCodes.EventNotDeclared"/>).</summary>
public sealed class EventNotDeclaredException(string message) : InvalidOperationException(message);

/// <summary>A tx emitted more events than a receipt holds (<see cref="Receipt.MaxEvents"/>); it fails with TOO_MANY_EVENTS.</summary>
public sealed class TooManyEventsException(string message) : InvalidOperationException(message);

/// <summary>Every event type the registered modules declare, by module and name.</summary>
public sealed class EventCatalog
{
    private readonly Dictionary<(string Module, string Name), EventType> _types = [];

    /// <exception cref="ArgumentException">Two types of one module and name.</exception>
    public EventCatalog(IEnumerable<EventType> types)
    {
        foreach (var type in types)
        {
            if (!_types.TryAdd((type.Module, type.Name), type))
            {
                throw new ArgumentException($"the event {type} is declared twice", nameof(types));
            }
        }
    }

    public IEnumerable<EventType> Types => _types.Values;

    public EventType? Find(string module, string name) => _types.GetValueOrDefault((module, name));

    public bool Contains(EventType type) => Find(type.Module, type.Name) == type;

    /// <summary>
    /// The topic an attribute of a stored event feeds: as its type declares it, and none for an
    /// attribute or an event no module declares (an address attribute is indexed only if its value
    /// parses as an address, as emitting checks).
    /// </summary>
    public Topic TopicOf(LedgerEvent e, EventAttribute attribute) => Find(e.Module, e.Name)?.TopicOf(attribute.Key) ?? Topic.None;
}
