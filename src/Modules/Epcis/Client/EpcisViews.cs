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

/// <summary>
/// What POST /v1/epcis/capture answers: the capture's id at the node, the node's number of its first
/// event, each event's hash in document order, and for a reported capture the item rules its events
/// broke (their items are flagged once anchored).
/// </summary>
public sealed record EpcisCaptureView(long Capture, ulong FirstEvent, IReadOnlyList<string> EventHashes, IReadOnlyList<EpcisSuspectView>? Suspect = null);

/// <summary>An item rule an event of a reported capture broke: the event's place in the document, the rule's code, the reason.</summary>
public sealed record EpcisSuspectView(int Index, string Code, string Message);

/// <summary>One item's state on chain: status, commissioning, container, owner, last event, and its flags with their reasons.</summary>
public sealed record EpcisItemView(string Id, string DigitalLink, string Status, string CommissionedBy, ulong CommissionedMs, string? Container, string Owner,
    string LastEvent, ulong LastMs, string? LastLocation, string LastOrg, uint Events, IReadOnlyList<EpcisFlagView> Flags);

public sealed record EpcisFlagView(string Code, string Reason, string Event, ulong Height);

/// <summary>
/// One anchored event as the chain recorded it (a step of a journey or a trace): its hash, type,
/// action, time, business step and disposition, where, what it names, who captured it, whether a
/// sensor reported an exception, the anchor that proves it, and the registered devices whose signed
/// readings its sensor data is.
/// </summary>
public sealed record EpcisStepView(string Hash, string Type, string? Action, ulong TimeMs, string? BizStep, string? Disposition, string? Location, string? Parent,
    IReadOnlyList<string> Epcs, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string? Owner, bool SensorAlarm, string Org, string Capturer, ulong Height, string AnchorTx,
    IReadOnlyList<string> SensorDevices);

/// <summary>How a trace reached an identifier: from which one, in which relation (contained-in, contains, made-from, made-into), through which event.</summary>
public sealed record EpcisTraceLinkView(string Id, int Depth, string From, string Relation, string Event);

/// <summary>
/// A trace from one identifier (GET /v1/epcis/trace): back (containers it was in, inputs it was
/// made from, and theirs) or forward (what it contains, what was made from it, and theirs); every
/// identifier reached, and every anchored event naming any of them, oldest first.
/// </summary>
public sealed record EpcisTraceView(string Id, string Direction, IReadOnlyList<EpcisTraceLinkView> Reached, IReadOnlyList<EpcisStepView> Events, bool Truncated, ulong IndexedHeight);

/// <summary>One step of an item's public journey: the event, which of the journey's identifiers it is about, and whether its receipt verified at the node that answered.</summary>
public sealed record EpcisJourneyStepView(EpcisStepView Event, IReadOnlyList<string> About, bool Verified, string Check);

/// <summary>
/// An item's public journey (GET /v1/epcis/journey): its state on chain, what it travelled in and
/// was made from, and every event of them oldest first, each with the verdict of its receipt.
/// </summary>
public sealed record EpcisJourneyView(string Id, string DigitalLink, EpcisItemView? Item, IReadOnlyList<EpcisTraceLinkView> Origins, IReadOnlyList<EpcisJourneyStepView> Steps,
    bool Truncated);

/// <summary>A tap-to-verify challenge: 32 random bytes in hex for the item's tag to sign (EpcisTap.Digest), good once until expiresMs.</summary>
public sealed record EpcisChallengeView(string Id, string Challenge, long ExpiresMs);

/// <summary>What a tap proved: the item's tag signed the node's challenge (genuine), with the tag's device id and the item's state.</summary>
public sealed record EpcisTapView(bool Genuine, string Message, string Device, EpcisItemView? Item);

/// <summary>A tap: the item, the challenge the node gave, and the tag's signature over it (hex).</summary>
public sealed record EpcisTapRequest(string Id, string Challenge, string Signature);
