using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ThingLedger.Client.Credentials;

/// <summary>
/// An SD-JWT (RFC 9901) in its compact form: the issuer-signed JWT, its disclosures, and — in a
/// presentation — a key-binding JWT: <c>{jwt}~{disclosure}~…~{kb-jwt}</c> (an issued credential ends in '~').
/// </summary>
public sealed record SdJwt(string Jwt, IReadOnlyList<string> Disclosures, string? KeyBinding)
{
    /// <summary>Everything before the key-binding JWT: what its sd_hash covers.</summary>
    public string WithoutKeyBinding => Jwt + "~" + string.Concat(Disclosures.Select(d => d + "~"));

    public override string ToString() => WithoutKeyBinding + (KeyBinding ?? string.Empty);

    public static SdJwt? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 1_000_000)
        {
            return null;
        }
        text = text.Trim();
        var parts = text.Split('~');
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1..^1].Any(p => p.Length == 0))
        {
            return null;
        }
        return new SdJwt(parts[0], parts[1..^1], parts[^1].Length == 0 ? null : parts[^1]);
    }

    /// <summary>A disclosure of one object member: <c>base64url(["salt", "name", value])</c> with a fresh 128-bit salt.</summary>
    public static string Disclose(string name, JsonElement value)
    {
        var salt = Jose.Encode(RandomNumberGenerator.GetBytes(16));
        return Jose.Encode(Jose.Json(w =>
        {
            w.WriteStartArray();
            w.WriteStringValue(salt);
            w.WriteStringValue(name);
            value.WriteTo(w);
            w.WriteEndArray();
        }));
    }

    /// <summary>Reads a disclosure of an object member: exactly [salt, name, value], salt and name strings.</summary>
    public static bool TryReadDisclosure(string disclosure, out string name, out JsonElement value)
    {
        name = string.Empty;
        value = default;
        if (!Jose.TryDecode(disclosure, out var bytes))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 3 || root[0].ValueKind != JsonValueKind.String || root[1].ValueKind != JsonValueKind.String)
            {
                return false;
            }
            name = root[1].GetString()!;
            value = root[2].Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A disclosure's digest as it appears in <c>_sd</c>: base64url(SHA-256(the disclosure's ASCII)).</summary>
    public static string Digest(string disclosure) => Jose.Sha256(disclosure);

    /// <summary>
    /// A claim value given as text: <c>true</c> and <c>false</c> are booleans, anything else a string;
    /// with <paramref name="json"/>, the text is the JSON value itself (a number, an object).
    /// </summary>
    public static bool TryValue(string text, bool json, out JsonElement value)
    {
        value = default;
        var source = json ? text : text is "true" or "false" ? text : JsonSerializer.Serialize(text, CredentialsJson.Default.String);
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(source), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 8 });
            value = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
