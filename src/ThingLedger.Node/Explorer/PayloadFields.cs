using System.Globalization;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Devices;
using ThingLedger.Execution.Modules.Identity;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Node.Explorer;

/// <summary>One decoded field of a tx payload, with the explorer page it points to, if any.</summary>
public sealed record PayloadField(string Name, string Value, string? Href = null);

/// <summary>
/// Decodes a tx payload per module and operation into named fields, with the same readers
/// execution uses. A payload that does not decode (the tx then failed) yields null.
/// </summary>
public static class PayloadFields
{
    public static IReadOnlyList<PayloadField>? Describe(Transaction tx) => (tx.Module, tx.Operation) switch
    {
        (TokensModule.ModuleName, TokensModule.Create) => Decode(tx, CreateTokenPayload.Read, p =>
            [Token(p.Symbol), new("name", p.Name), new("decimals", Number(p.Decimals)), new("mint roles", RoleNames.Format(p.MintRoles)),
             new("cap", p.Cap == 0 ? "none" : TokensModule.Text(p.Cap))]),
        (TokensModule.ModuleName, TokensModule.Mint or TokensModule.TransferOp) => Decode(tx, TokenAmountPayload.Read, p =>
            [Token(p.Symbol), Account("to", p.To), new("amount", TokensModule.Text(p.Amount))]),
        (TokensModule.ModuleName, TokensModule.Burn) => Decode(tx, BurnPayload.Read, p =>
            [Token(p.Symbol), new("amount", TokensModule.Text(p.Amount))]),
        (DevicesModule.ModuleName, DevicesModule.Register) => Decode(tx, RegisterDevicePayload.Read, p =>
            [Device(p.PublicKey.ToAddress()), new("model", p.Model), new("serial", p.Serial), Account("owner", p.Owner),
             .. p.Metadata.Select(m => new PayloadField("meta " + m.Key, m.Value))]),
        (DevicesModule.ModuleName, DevicesModule.Transfer) => Decode(tx, TransferDevicePayload.Read, p =>
            [Device(p.Device), Account("new owner", p.NewOwner)]),
        (DevicesModule.ModuleName, DevicesModule.Revoke) => Decode(tx, RevokeDevicePayload.Read, p =>
            [Device(p.Device), new("reason", p.Reason)]),
        (IdentityModule.ModuleName, IdentityModule.AddMember or IdentityModule.UpdateMember) => Decode(tx, MemberRolesPayload.Read, p =>
            [Org(p.Org), Account("member", p.Member), new("roles", RoleNames.Format(p.Roles))]),
        (IdentityModule.ModuleName, IdentityModule.RemoveMember) => Decode(tx, RemoveMemberPayload.Read, p =>
            [Org(p.Org), Account("member", p.Member)]),
        (IdentityModule.ModuleName, IdentityModule.ProposeMembership) => Decode(tx, MembershipProposal.Read, p =>
            [new("action", MembershipProposal.ActionName(p.Action)), Org(p.Org), new("quorum", Number(p.Quorum)),
             new("effective height", Number(p.EffectiveHeight), $"/blocks/{p.EffectiveHeight}"),
             new("admins", p.Admins.Length == 0 ? "none" : string.Join(", ", p.Admins.Select(a => a.ToAddress().ToString())))]),
        (IdentityModule.ModuleName, IdentityModule.ApproveMembership) => Decode(tx, ApproveMembershipPayload.Read, p =>
            [new("proposal", p.Proposal.ToString(), $"/txs/{p.Proposal}")]),
        (TelemetryModule.ModuleName, TelemetryModule.RegisterSchema) => Decode(tx, TelemetrySchema.Read, p =>
            [new("schema", p.Ref), .. p.Fields.Select(f => new PayloadField("field " + f.Name,
                $"{f.Unit}, {TelemetrySchema.FormatValue(f.Min, f.Decimals)} to {TelemetrySchema.FormatValue(f.Max, f.Decimals)}{(f.Additive ? ", additive" : string.Empty)}"))]),
        (TelemetryModule.ModuleName, TelemetryModule.Anchor) => Decode(tx, AnchorPayload.Read, p =>
            [new("root", p.Root.ToString()), new("readings", Number(p.Count)),
             new("measured", $"{Fmt.Time(p.FromTime)} to {Fmt.Time(p.ToTime)}"), new("ingest numbers", $"{p.FirstIngest} to {p.LastIngest}"),
             new("devices", Number(p.Summaries.Length)),
             .. p.Summaries.Take(20).Select(s => new PayloadField("device " + s.Device,
                 $"{s.SchemaRef}: {s.Count} readings, seq {s.FirstSequence} to {s.LastSequence}", $"/devices/{s.Device}"))]),
        _ => null,
    };

    private static IReadOnlyList<PayloadField>? Decode<T>(Transaction tx, Payload.Reader<T> read, Func<T, PayloadField[]> fields)
        => Payload.TryDecode(tx.Payload, read, out var payload) ? fields(payload) : null;

    private static string Number<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    private static PayloadField Token(string symbol) => new("token", symbol, $"/tokens/{symbol}");

    private static PayloadField Org(string org) => new("organisation", org, $"/orgs/{org}");

    private static PayloadField Device(Address device) => new("device", device.ToString(), $"/devices/{device}");

    private static PayloadField Account(string name, Address address) => new(name, address.ToString(), $"/accounts/{address}");
}
