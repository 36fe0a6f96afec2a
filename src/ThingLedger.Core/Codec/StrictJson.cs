using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ThingLedger.Core.Codec;

/// <summary>Why a JSON text was refused: a stable code, a sentence, and where (a JSON path such as <c>$.readings[3].seq</c>).</summary>
public sealed record JsonProblem(string Code, string Message, string Path)
{
    public override string ToString() => $"{Message} (at {Path})";
}

/// <summary>
/// The one JSON rule every input of ThingLedger follows (API bodies, genesis, proof documents,
/// CLI files): well formed (RFC 8259, no comments, no trailing commas, at most 64 levels) and,
/// in every object, no member name twice, not even in another letter case or spelled with
/// escapes (<c>{"tx":A,"TX":B}</c>, <c>{"tx":A,"t\u0078":B}</c>). Parsers disagree about which
/// duplicate wins (RFC 8259 §4 leaves it open), so a document with one could mean one thing to
/// this node and another to whoever reads it next: it is refused instead of interpreted.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions Options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>Null when <paramref name="utf8"/> follows the rule, otherwise the first problem.</summary>
    public static JsonProblem? Check(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, Options);
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        var frame = frames[^1];
                        if (frame.Has(name) is { } earlier)
                        {
                            frame.Current = name;
                            return new JsonProblem(ErrorCodes.JsonDuplicateKey,
                                earlier == name ? $"the member \"{name}\" appears twice in one object" : $"the members \"{earlier}\" and \"{name}\" differ only in letter case",
                                PathOf(frames));
                        }
                        frame.Add(name);
                        break;
                    default:
                        Advance(frames);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return new JsonProblem(ErrorCodes.BadRequest, $"not valid JSON: {e.Message}", PathOf(frames));
        }
        return null;
    }

    /// <summary>Checks <paramref name="utf8"/>, then deserializes it; a problem or a JSON error is a <see cref="FormatException"/> naming <paramref name="what"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> type, string what)
    {
        if (Check(utf8) is { } problem)
        {
            throw new StrictJsonException(what, problem);
        }
        try
        {
            return JsonSerializer.Deserialize(utf8, type) ?? throw new FormatException($"{what}: the document is empty (null)");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{what}: not valid JSON for this document ({e.Message})", e);
        }
    }

    /// <summary><see cref="Deserialize{T}(ReadOnlySpan{byte}, JsonTypeInfo{T}, string)"/> of a text.</summary>
    public static T Deserialize<T>(string json, JsonTypeInfo<T> type, string what) => Deserialize(Encoding.UTF8.GetBytes(json), type, what);

    /// <summary>A value (or the start of a container) inside an array moves that array's index on.</summary>
    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && !frames[^1].IsObject)
        {
            frames[^1].Index++;
        }
    }

    private static string PathOf(List<Frame> frames)
    {
        var path = new StringBuilder("$");
        foreach (var frame in frames)
        {
            if (frame.IsObject)
            {
                if (frame.Current is { } name)
                {
                    path.Append('.').Append(name);
                }
            }
            else if (frame.Index >= 0)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
        }
        return path.ToString();
    }

    /// <summary>One open object (its member names so far) or array (the index of its current element).</summary>
    private sealed class Frame(bool isObject)
    {
        private const int ListLimit = 16;
        private List<string>? _few;
        private HashSet<string>? _many;

        public bool IsObject { get; } = isObject;

        public int Index { get; set; } = -1;

        public string? Current { get; set; }

        /// <summary>The earlier member equal to <paramref name="name"/> ignoring case, or null.</summary>
        public string? Has(string name)
        {
            if (_many is not null)
            {
                return _many.TryGetValue(name, out var match) ? match : null;
            }
            foreach (var earlier in _few ?? [])
            {
                if (string.Equals(earlier, name, StringComparison.OrdinalIgnoreCase))
                {
                    return earlier;
                }
            }
            return null;
        }

        public void Add(string name)
        {
            Current = name;
            if (_many is not null)
            {
                _many.Add(name);
                return;
            }
            (_few ??= []).Add(name);
            if (_few.Count > ListLimit)
            {
                _many = new HashSet<string>(_few, StringComparer.OrdinalIgnoreCase);
                _few = null;
            }
        }
    }
}

/// <summary>A JSON input broke <see cref="StrictJson"/>'s rule; <see cref="Problem"/> says how and where.</summary>
public sealed class StrictJsonException(string what, JsonProblem problem) : FormatException($"{what}: {problem}")
{
    public JsonProblem Problem { get; } = problem;
}
