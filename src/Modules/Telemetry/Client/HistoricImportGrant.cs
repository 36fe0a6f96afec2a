using System.Buffers.Binary;
using System.Globalization;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Client;

/// <summary>
/// An operator's authorisation to store one upload's readings although they are older than the
/// node's freshness window (docs/TELEMETRY.md, "Historic imports"). Sent as the HTTP header
/// <see cref="Header"/>: <c>v1.{public key, base64url}.{expires at, ms}.{signature, base64url}</c>,
/// the signature by the operator's account key over tag ‖ chain id ‖ SHA-256(upload body) ‖
/// u64 expiresAt. It names one body, so it cannot be replayed for other readings, and expires
/// after <see cref="MaxLifetimeMs"/> at most. The node checks that the key belongs to an
/// operator or admin of its own org; the anchor records who authorised which readings.
/// </summary>
public static class HistoricImportGrant
{
    public const string Header = "ThingLedger-Historic-Import";

    public const string Tag = "thingledger/historic-import/v1";

    /// <summary>The longest a grant is good for: long enough for one upload and its retries.</summary>
    public const long MaxLifetimeMs = 15 * 60 * 1000;

    public static string Create(KeyPair operatorKey, string chainId, ReadOnlySpan<byte> uploadBody, ulong expiresAt)
    {
        var signature = operatorKey.Sign(Tag, chainId, Body(Hash.Sha256(uploadBody), expiresAt));
        return $"v1.{Base64Url(operatorKey.PublicKey.Bytes)}.{expiresAt.ToString(CultureInfo.InvariantCulture)}.{Base64Url(signature)}";
    }

    /// <summary>
    /// Checks a grant against the upload's body, the chain and the time: the operator's key when
    /// it holds, or why it does not (for TELEMETRY_HISTORIC_GRANT_INVALID).
    /// </summary>
    public static (PublicKey? Operator, string? Problem) Check(string header, string chainId, ReadOnlySpan<byte> uploadBody, ulong now)
    {
        var parts = header.Split('.');
        if (parts is not ["v1", var key, var expires, var signature] || !ulong.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) ||
            FromBase64Url(key) is not { } keyBytes || !PublicKey.TryCreate(keyBytes, out var operatorKey) || FromBase64Url(signature) is not { Length: Signature.Size } sig)
        {
            return (null, $"the {Header} header is not v1.<public key>.<expires at ms>.<signature> (thingledger device import --historic makes one)");
        }
        if (expiresAt < now)
        {
            return (null, $"the grant expired at {expiresAt} ms; it is now {now}");
        }
        if (expiresAt > now + MaxLifetimeMs)
        {
            return (null, $"the grant runs to {expiresAt} ms, more than {MaxLifetimeMs / 60_000} minutes from now ({now})");
        }
        return Signature.HasLowS(sig) && SignatureVerifier.Verify(operatorKey!, Tag, chainId, Body(Hash.Sha256(uploadBody), expiresAt), sig)
            ? (operatorKey, null)
            : (null, $"the grant's signature is not {operatorKey!.ToAddress()}'s over this upload on chain '{chainId}' (a grant covers exactly one body)");
    }

    private static byte[] Body(Hash upload, ulong expiresAt)
    {
        var body = new byte[Hash.Size + sizeof(ulong)];
        upload.CopyTo(body);
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(Hash.Size), expiresAt);
        return body;
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[]? FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        var bytes = new byte[(padded.Length / 4 * 3) + 3];
        return Convert.TryFromBase64String(padded, bytes, out var written) ? bytes[..written] : null;
    }
}
