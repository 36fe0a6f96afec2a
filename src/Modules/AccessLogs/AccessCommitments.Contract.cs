using System.Globalization;
using System.Text;
using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.AccessLogs;

/// <summary>
/// What an access log entry commits to, computed alike by whoever records it and whoever is later
/// shown what it hides (docs/ACCESS.md "Commitments"): SHA-256 of UTF-8 lines, the first naming
/// the kind and version, the last a random salt, so the chain shows that something was recorded
/// and when, never what.
/// </summary>
public static class AccessCommitments
{
    public const int MaxKindLength = 32;
    public const string CredentialCheck = "credential-check";

    /// <summary>Kinds: 1–32 of a-z, 0-9 and '-', starting with a letter.</summary>
    public static bool IsKind(string? kind) =>
        kind is { Length: >= 1 and <= MaxKindLength } && char.IsAsciiLetterLower(kind[0]) && kind.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>A credential check: that <paramref name="verifier"/> checked a <paramref name="type"/> credential of the subject for <paramref name="purpose"/> at <paramref name="unixMs"/>.</summary>
    public static Hash OfCredentialCheck(string verifier, string type, string purpose, ulong unixMs, ReadOnlySpan<byte> salt) =>
        Hash.Sha256(Encoding.UTF8.GetBytes(string.Join('\n', $"thingledger/access/{CredentialCheck}/v1", verifier, type, purpose,
            unixMs.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(salt))));
}
