using ThingLedger.Core.Crypto;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>The credentials module's limits and name rules (docs/IDENTITY.md), shared by the module, the SDK and verifiers.</summary>
public static class CredentialRules
{
    public const int MaxMethods = 16;
    public const int MaxServices = 16;
    public const int MaxControllers = 8;
    public const int MaxFragmentsEver = 64;
    public const int MaxFragmentLength = 32;
    public const int MaxServiceTypeLength = 64;
    public const int MaxEndpointLength = 512;
    public const int MaxTypeLength = 64;
    public const int MaxTitleLength = 200;
    public const int MaxClaims = 64;
    public const int MaxClaimNameLength = 64;
    public const int MaxPeriods = 64;
    public const int MaxListNameLength = 32;
    public const int MaxStatusChanges = 1024;

    /// <summary>Entries in one stored page of a status list: the smallest list, so no page holds fewer than Bitstring Status List's herd.</summary>
    public const int PageEntries = 131_072;
    public const int PageBytes = PageEntries / 8;
    public const uint MaxListEntries = 16_777_216;

    /// <summary>The DID of an address: <c>did:thingledger:{address}</c>.</summary>
    public static string Did(Address address) => CredentialsNames.DidPrefix + address;

    /// <summary>Reads a DID of this method (no path, query or fragment) into its address.</summary>
    public static bool TryParseDid(string? did, out Address address)
    {
        address = default;
        return did is not null && did.StartsWith(CredentialsNames.DidPrefix, StringComparison.Ordinal) &&
            Address.TryParse(did[CredentialsNames.DidPrefix.Length..], out address);
    }

    /// <summary>A DID's address, given either the DID or the bare address.</summary>
    public static bool TryParseDidOrAddress(string? text, out Address address) =>
        TryParseDid(text, out address) || Address.TryParse(text, out address);

    /// <summary>Method and service fragments: 1–32 of A-Z, a-z, 0-9, '.', '_', '-'.</summary>
    public static bool IsFragment(string? value) =>
        value is { Length: >= 1 and <= MaxFragmentLength } && All(value, static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Credential types: 1–64 letters and digits, starting with a capital; not "VerifiableCredential".</summary>
    public static bool IsType(string? value) =>
        value is { Length: >= 1 and <= MaxTypeLength } && char.IsAsciiLetterUpper(value[0]) && All(value, char.IsAsciiLetterOrDigit) && value != "VerifiableCredential";

    /// <summary>Claim names: 1–64 of a-z, 0-9 and '_', starting with a letter; not "id" (the subject's).</summary>
    public static bool IsClaimName(string? value) =>
        value is { Length: >= 1 and <= MaxClaimNameLength } && char.IsAsciiLetterLower(value[0]) &&
        All(value, static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') && value != "id";

    /// <summary>Status list names: 1–32 of a-z, 0-9 and '-', starting with a letter.</summary>
    public static bool IsListName(string? value) =>
        value is { Length: >= 1 and <= MaxListNameLength } && char.IsAsciiLetterLower(value[0]) && All(value, static c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary>Service types: 1–64 letters and digits.</summary>
    public static bool IsServiceType(string? value) => value is { Length: >= 1 and <= MaxServiceTypeLength } && All(value, char.IsAsciiLetterOrDigit);

    /// <summary>Service endpoints: an absolute http or https URL of at most 512 characters.</summary>
    public static bool IsEndpoint(string? value) =>
        value is { Length: >= 1 and <= MaxEndpointLength } && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http") &&
        All(value, static c => c > ' ' && c < 127);

    /// <summary>A list size: a multiple of <see cref="PageEntries"/>, from one page to <see cref="MaxListEntries"/>.</summary>
    public static bool IsListSize(uint size) => size >= PageEntries && size <= MaxListEntries && size % PageEntries == 0;

    /// <summary>The DID URL of a status list: <c>did:thingledger:{issuer}/status/{name}</c>.</summary>
    public static string StatusListUrl(Address issuer, string name) => $"{Did(issuer)}/status/{name}";

    /// <summary>Reads a status list's DID URL.</summary>
    public static bool TryParseStatusListUrl(string? url, out Address issuer, out string name)
    {
        issuer = default;
        name = string.Empty;
        var slash = url?.IndexOf("/status/", StringComparison.Ordinal) ?? -1;
        if (slash < 0 || !TryParseDid(url![..slash], out issuer))
        {
            return false;
        }
        name = url[(slash + "/status/".Length)..];
        return IsListName(name);
    }

    /// <summary>Whether bit <paramref name="index"/> of a page is set (the first entry is the most significant bit of the first byte).</summary>
    public static bool IsSet(ReadOnlySpan<byte> page, uint index)
    {
        var i = index % PageEntries;
        return page.Length == PageBytes && (page[(int)(i / 8)] & (0x80 >> (int)(i % 8))) != 0;
    }

    private static bool All(string value, Func<char, bool> predicate)
    {
        foreach (var c in value)
        {
            if (!predicate(c))
            {
                return false;
            }
        }
        return true;
    }
}
