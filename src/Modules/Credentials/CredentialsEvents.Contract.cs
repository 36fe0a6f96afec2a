using ThingLedger.Core.Ledger;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>The events the credentials module emits, with the index topic of each attribute (docs/WIRE-FORMAT.md "Events").</summary>
public static class CredentialsEvents
{
    private const string M = CredentialsNames.ModuleName;

    public static readonly EventType DidCreated = new(M, "did-created", new("did"), new("address", Topic.Address), new("keys"));

    public static readonly EventType DidUpdated = new(M, "did-updated", new("did"), new("address", Topic.Address), new("added"), new("removed"), new("by", Topic.Address));

    public static readonly EventType DidDeactivated = new(M, "did-deactivated", new("did"), new("address", Topic.Address), new("by", Topic.Address));

    public static readonly EventType SchemaRegistered = new(M, "schema-registered", new("type"), new("claims"), new("org"));

    public static readonly EventType AccreditationProposed = new(M, "accreditation-proposed",
        new("proposal"), new("action"), new("issuer"), new("type"), new("by"));

    public static readonly EventType AccreditationApproved = new(M, "accreditation-approved", new("proposal"), new("by"));

    public static readonly EventType Accredited = new(M, "issuer-accredited", new("proposal"), new("issuer"), new("address", Topic.Address), new("type"));

    public static readonly EventType Withdrawn = new(M, "accreditation-withdrawn", new("proposal"), new("issuer"), new("address", Topic.Address), new("type"));

    public static readonly EventType StatusListCreated = new(M, "status-list-created", new("list"), new("issuer", Topic.Address), new("purpose"), new("size"));

    public static readonly EventType StatusChanged = new(M, "status-changed", new("list"), new("issuer", Topic.Address), new("entries"), new("value"), new("set"));

    public static readonly IReadOnlyList<EventType> All =
        [DidCreated, DidUpdated, DidDeactivated, SchemaRegistered, AccreditationProposed, AccreditationApproved, Accredited, Withdrawn, StatusListCreated, StatusChanged];
}
