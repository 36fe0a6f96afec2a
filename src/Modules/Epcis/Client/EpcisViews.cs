using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Client.Contracts;

/// <summary>A GS1 identifier in each of its forms; the EPC URN only when the company prefix's length is known.</summary>
public sealed record Gs1IdView(string Kind, string Key, string? Qualifier, string ElementString, string DigitalLink, string? EpcUrn)
{
    /// <summary>The view of <paramref name="id"/> on <paramref name="resolver"/>, with its URN for a company prefix of <paramref name="prefixLength"/> digits (or the length <paramref name="given"/> names, when it is a URN).</summary>
    public static Gs1IdView? Of(Gs1Id id, string given, int? prefixLength, string resolver, out Gs1Error? error)
    {
        error = null;
        string? urn = null;
        if ((prefixLength ?? Gs1Id.PrefixLengthIn(given)) is { } length && (urn = id.ToEpcUrn(length, out error)) is null)
        {
            return null;
        }
        return new Gs1IdView(id.Kind.ToString().ToLowerInvariant(), id.Key, id.Qualifier.Length == 0 ? null : id.Qualifier, id.ElementString, id.ToDigitalLink(resolver), urn);
    }
}
