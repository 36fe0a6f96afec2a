using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Core;
using ThingLedger.Core.Codec;

namespace ThingLedger.Node.Api;

/// <summary>
/// JSON request bodies, read by the endpoints themselves rather than bound by the framework, so
/// that every one is checked by <see cref="StrictJson"/> (no duplicate or case-variant member
/// names) and every refusal is a problem document with its own code, never an exception.
/// </summary>
internal static class JsonBody
{
    /// <summary>application/json, or any type with a +json suffix (parameters such as charset allowed).</summary>
    public static bool IsJson(HttpRequest request)
    {
        var type = request.ContentType;
        if (string.IsNullOrEmpty(type))
        {
            return false;
        }
        var end = type.IndexOf(';', StringComparison.Ordinal);
        var media = (end < 0 ? type : type[..end]).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    public static ProblemHttpResult NotJson(HttpRequest request) => Problems.Of(ErrorCodes.UnsupportedMediaType,
        $"the body must be application/json, not '{request.ContentType ?? "(no Content-Type)"}'");

    /// <summary>
    /// The body as <typeparamref name="T"/>, or the problem: <paramref name="malformedCode"/> for JSON that
    /// does not parse or does not fit the shape, JSON_DUPLICATE_KEY for a repeated member name.
    /// </summary>
    public static T? Parse<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> type, string malformedCode, out ProblemHttpResult? problem) where T : class
    {
        if (StrictJson.Check(body) is { } broken)
        {
            problem = Problems.Of(broken.Code == ErrorCodes.BadRequest ? malformedCode : broken.Code, broken.ToString());
            return null;
        }
        try
        {
            var value = JsonSerializer.Deserialize(body, type);
            problem = value is null ? Problems.Of(malformedCode, "the body is JSON null") : null;
            return value;
        }
        catch (JsonException e)
        {
            problem = Problems.Of(malformedCode, $"the body does not have the expected shape: {e.Message}");
            return null;
        }
    }
}
