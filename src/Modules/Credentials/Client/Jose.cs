using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Client.Credentials;

/// <summary>
/// The JOSE parts credentials need: base64url (RFC 7515 §2), P-256 keys as JWKs (RFC 7517/7518
/// §6.2), and ES256 compact JWS (RFC 7515, RFC 7518 §3.4: ECDSA P-256 over SHA-256, r ‖ s).
/// </summary>
public static class Jose
{
    public static string Encode(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    /// <summary>Decodes unpadded base64url; false on any other character or a padded or impossible length.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Contains('=') || !Base64Url.IsValid(text))
        {
            return false;
        }
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The base64url SHA-256 of the ASCII text: an SD-JWT disclosure's digest, and a KB-JWT's sd_hash.</summary>
    public static string Sha256(string ascii) => Encode(SHA256.HashData(Encoding.ASCII.GetBytes(ascii)));

    /// <summary>A P-256 key's JWK coordinates: base64url of its 32-byte x and y.</summary>
    public static (string X, string Y) Coordinates(PublicKey key) => (Encode(key.Bytes.Slice(1, 32)), Encode(key.Bytes.Slice(33, 32)));

    /// <summary>Writes the key as a JWK: {"kty":"EC","crv":"P-256","x":…,"y":…} (members in the order RFC 7638 hashes them).</summary>
    public static void WriteJwk(Utf8JsonWriter writer, PublicKey key)
    {
        var (x, y) = Coordinates(key);
        writer.WriteStartObject();
        writer.WriteString("crv", "P-256");
        writer.WriteString("kty", "EC");
        writer.WriteString("x", x);
        writer.WriteString("y", y);
        writer.WriteEndObject();
    }

    /// <summary>Reads a P-256 JWK (kty EC, crv P-256, 32-byte x and y); no private part is accepted.</summary>
    public static bool TryReadJwk(JsonElement jwk, out PublicKey? key)
    {
        key = null;
        if (jwk.ValueKind != JsonValueKind.Object || Text(jwk, "kty") != "EC" || Text(jwk, "crv") != "P-256" || jwk.TryGetProperty("d", out _) ||
            !TryDecode(Text(jwk, "x") ?? "", out var x) || !TryDecode(Text(jwk, "y") ?? "", out var y) || x.Length != 32 || y.Length != 32)
        {
            return false;
        }
        Span<byte> point = stackalloc byte[PublicKey.Size];
        point[0] = 4;
        x.CopyTo(point[1..]);
        y.CopyTo(point[33..]);
        // Whether the point is on the curve is decided where the key is used: a signature check
        // with a key off the curve fails (importing it to check here would cost three verifications).
        return PublicKey.TryCreate(point, out key);
    }

    /// <summary>A compact JWS: base64url(header).base64url(payload).base64url(ES256 signature).</summary>
    public static string Sign(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload, KeyPair key)
    {
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + Encode(key.Sign(Hash.Sha256(Encoding.ASCII.GetBytes(input))));
    }

    /// <summary>Whether <paramref name="signature"/> (r ‖ s, 64 bytes; either s) is <paramref name="key"/>'s ES256 signature of the signing input.</summary>
    public static bool Verify(PublicKey key, string signingInput, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Signature.Size)
        {
            return false;
        }
        // JWS accepts both s values; the ledger's verifier accepts the low one, which is as valid.
        Span<byte> normalised = stackalloc byte[Signature.Size];
        signature.CopyTo(normalised);
        Signature.NormalizeToLowS(normalised);
        return SignatureVerifier.Verify(key, Hash.Sha256(Encoding.ASCII.GetBytes(signingInput)), normalised);
    }

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A JSON object written by <paramref name="write"/>, as UTF-8.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }
        return buffer.ToArray();
    }
}

/// <summary>A compact JWS split into its parts, with its header and payload parsed as JSON objects.</summary>
public sealed class CompactJws : IDisposable
{
    private CompactJws(string signingInput, byte[] signature, JsonDocument header, JsonDocument payload)
    {
        SigningInput = signingInput;
        Signature = signature;
        HeaderDocument = header;
        PayloadDocument = payload;
    }

    public string SigningInput { get; }
    public byte[] Signature { get; }
    private JsonDocument HeaderDocument { get; }
    private JsonDocument PayloadDocument { get; }
    public JsonElement Header => HeaderDocument.RootElement;
    public JsonElement Payload => PayloadDocument.RootElement;

    /// <summary>Three base64url parts, header and payload JSON objects (duplicate members refused), alg ES256.</summary>
    public static CompactJws? TryParse(string jws)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3 || !Jose.TryDecode(parts[0], out var header) || !Jose.TryDecode(parts[1], out var payload) || !Jose.TryDecode(parts[2], out var signature))
        {
            return null;
        }
        var options = new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 };
        JsonDocument? h = null;
        try
        {
            h = JsonDocument.Parse(header, options);
            var p = JsonDocument.Parse(payload, options);
            if (h.RootElement.ValueKind != JsonValueKind.Object || p.RootElement.ValueKind != JsonValueKind.Object || Jose.Text(h.RootElement, "alg") != "ES256")
            {
                h.Dispose();
                p.Dispose();
                return null;
            }
            return new CompactJws(parts[0] + "." + parts[1], signature, h, p);
        }
        catch (JsonException)
        {
            h?.Dispose();
            return null;
        }
    }

    public bool VerifiedBy(PublicKey key) => Jose.Verify(key, SigningInput, Signature);

    public void Dispose()
    {
        HeaderDocument.Dispose();
        PayloadDocument.Dispose();
    }
}
