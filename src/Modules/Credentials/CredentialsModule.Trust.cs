using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using static ThingLedger.Execution.Modules.Credentials.CredentialsState;

namespace ThingLedger.Execution.Modules.Credentials;

/// <summary>
/// Credential schemas and the trust registry (docs/IDENTITY.md "The trust registry"). An
/// accreditation changes the way the consortium's membership does: proposed by an admin of a
/// validating organisation (its approval), approved by admins of others, enacted when the
/// approvals carry the quorum of the validator set in force, at the enacting block's time.
/// </summary>
public sealed partial class CredentialsModule
{
    private static Outcome DoSchema(TxContext context, SchemaPayload p)
    {
        if (context.SignerMembership is not { } member || !member.Has(Roles.Admin))
        {
            return Core.ErrorCodes.Unauthorised;
        }
        if (!CredentialRules.IsType(p.Type) || !Core.Ledger.Identifiers.IsText(p.Title, CredentialRules.MaxTitleLength) || p.Claims.Length == 0 ||
            !p.Claims.All(c => CredentialRules.IsClaimName(c.Name)) || p.Claims.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != p.Claims.Length)
        {
            return CredentialsErrors.SchemaInvalid;
        }
        if (context.State.Contains(SchemaKey(p.Type)))
        {
            return CredentialsErrors.SchemaExists;
        }
        context.State.Set(SchemaKey(p.Type), Canonical.Encode(new SchemaRecord(p, member.Org, context.Timestamp)));
        context.Emit(CredentialsEvents.SchemaRegistered, new("type", p.Type), new("claims", string.Join(",", p.Claims.Select(c => c.Name))), new("org", member.Org));
        return Outcome.Ok;
    }

    private static Outcome DoPropose(TxContext context, AccreditPayload p)
    {
        var voter = context.CheckGovernor();
        if (!voter.Succeeded)
        {
            return voter;
        }
        var check = CheckAccreditation(context, p);
        if (!check.Succeeded)
        {
            return check;
        }
        var org = context.SignerMembership!.Value.Org;
        var proposal = new AccreditationProposalRecord(p, context.Signer, context.Height, [org], 0);
        context.Emit(CredentialsEvents.AccreditationProposed, new("proposal", context.Tx.Id.ToString()), new("action", AccreditPayload.ActionName(p.Action)),
            new("issuer", CredentialRules.Did(p.Issuer)), new("type", p.Type), new("by", org));
        return Decide(context, context.Tx.Id, proposal);
    }

    private static Outcome DoApprove(TxContext context, ApproveAccreditationPayload p)
    {
        if (ReadProposal(context.State, p.Proposal) is not { } proposal)
        {
            return CredentialsErrors.ProposalNotFound;
        }
        if (proposal.Enacted)
        {
            return CredentialsErrors.ProposalClosed;
        }
        var voter = context.CheckGovernor();
        if (!voter.Succeeded)
        {
            return voter;
        }
        var org = context.SignerMembership!.Value.Org;
        if (proposal.Approvals.Contains(org, StringComparer.Ordinal))
        {
            return CredentialsErrors.AlreadyApproved;
        }
        var check = CheckAccreditation(context, proposal.Proposal);
        if (!check.Succeeded)
        {
            return check;
        }
        proposal = proposal with { Approvals = [.. proposal.Approvals.Append(org).Order(StringComparer.Ordinal)] };
        context.Emit(CredentialsEvents.AccreditationApproved, new("proposal", p.Proposal.ToString()), new("by", org));
        return Decide(context, p.Proposal, proposal);
    }

    /// <summary>Enacts the proposal when its approvals are a quorum of the validator set in force; stores it either way.</summary>
    private static Outcome Decide(TxContext context, Hash id, AccreditationProposalRecord proposal)
    {
        if (context.Validators.IsQuorum(proposal.Approvals))
        {
            var p = proposal.Proposal;
            var periods = ReadAccreditation(context.State, p.Issuer, p.Type)?.Periods ?? [];
            if (p.Action == AccreditAction.Accredit)
            {
                if (periods.Length >= CredentialRules.MaxPeriods)
                {
                    return CredentialsErrors.PeriodsFull;
                }
                periods = [.. periods, new AccreditationPeriod(context.Timestamp, 0)];
            }
            else
            {
                periods = [.. periods[..^1], periods[^1] with { Until = context.Timestamp }];
            }
            context.State.Set(AccreditationKey(p.Issuer, p.Type), Canonical.Encode(new AccreditationRecord(periods)));
            proposal = proposal with { EnactedAt = context.Height };
            context.Emit(p.Action == AccreditAction.Accredit ? CredentialsEvents.Accredited : CredentialsEvents.Withdrawn,
                new("proposal", id.ToString()), new("issuer", CredentialRules.Did(p.Issuer)), new("address", p.Issuer.ToString()), new("type", p.Type));
        }
        context.State.Set(ProposalKey(id), Canonical.Encode(proposal));
        return Outcome.Ok;
    }

    /// <summary>What a proposal asks is possible now: an active issuer DID, a registered type, accredited (to withdraw) or not (to accredit).</summary>
    private static Outcome CheckAccreditation(TxContext context, AccreditPayload p)
    {
        if (p.Action is not (AccreditAction.Accredit or AccreditAction.Withdraw))
        {
            return CredentialsErrors.ActionInvalid;
        }
        if (!context.State.Contains(SchemaKey(p.Type)))
        {
            return CredentialsErrors.SchemaNotFound;
        }
        var open = ReadAccreditation(context.State, p.Issuer, p.Type)?.Open ?? false;
        if (p.Action == AccreditAction.Withdraw)
        {
            return open ? Outcome.Ok : CredentialsErrors.NotAccredited;
        }
        if (open)
        {
            return CredentialsErrors.AlreadyAccredited;
        }
        return ReadDid(context.State, p.Issuer) switch
        {
            null => CredentialsErrors.DidNotFound,
            { Active: false } => CredentialsErrors.DidDeactivated,
            _ => Outcome.Ok,
        };
    }
}
