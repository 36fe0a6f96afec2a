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

/// <summary>What POST /v1/epcis/capture answers: the capture's id at the node, the node's number of its first event, and each event's hash in document order.</summary>
public sealed record EpcisCaptureView(long Capture, ulong FirstEvent, IReadOnlyList<string> EventHashes);

/// <summary>One item's state on chain: status, commissioning, container, owner, last event, and its flags with their reasons.</summary>
public sealed record EpcisItemView(string Id, string DigitalLink, string Status, string CommissionedBy, ulong CommissionedMs, string? Container, string Owner,
    string LastEvent, ulong LastMs, string? LastLocation, string LastOrg, uint Events, IReadOnlyList<EpcisFlagView> Flags);

public sealed record EpcisFlagView(string Code, string Reason, string Event, ulong Height);

/// <summary>
/// One anchored event as the chain recorded it (a step of a journey or a trace): its hash, type,
/// action, time, business step and disposition, where, what it names, who captured it, whether a
/// sensor reported an exception, and the anchor that proves it.
/// </summary>
public sealed record EpcisStepView(string Hash, string Type, string? Action, ulong TimeMs, string? BizStep, string? Disposition, string? Location, string? Parent,
    IReadOnlyList<string> Epcs, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string? Owner, bool SensorAlarm, string Org, string Capturer, ulong Height, string AnchorTx);

/// <summary>How a trace reached an identifier: from which one, in which relation (contained-in, contains, made-from, made-into), through which event.</summary>
public sealed record EpcisTraceLinkView(string Id, int Depth, string From, string Relation, string Event);

/// <summary>
/// A trace from one identifier (GET /v1/epcis/trace): back (containers it was in, inputs it was
/// made from, and theirs) or forward (what it contains, what was made from it, and theirs); every
/// identifier reached, and every anchored event naming any of them, oldest first.
/// </summary>
public sealed record EpcisTraceView(string Id, string Direction, IReadOnlyList<EpcisTraceLinkView> Reached, IReadOnlyList<EpcisStepView> Events, bool Truncated, ulong IndexedHeight);
