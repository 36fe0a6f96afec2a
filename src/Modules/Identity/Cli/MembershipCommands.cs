using System.CommandLine;
using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Cli.Commands;

/// <summary>membership show; membership propose add-org|remove-org|set-quorum; membership approve.</summary>
internal static class MembershipCommands
{
    public static Command Create() =>
        new Command("membership",
            "Who certifies the chain: validator epochs, and changes to them (add or remove an organisation, change the quorum) " +
            "proposed and approved by admins of a quorum of validating organisations, effective at a future height.")
            .With(Show(), Propose(), Approve());

    private static Command Show() =>
        new Command("show", "List validator epochs and membership proposals.\nExample: thingledger membership show").Runs(async (_, cli, ct) =>
        {
            var view = await cli.Client.GetMembershipAsync(ct).ConfigureAwait(false);
            if (cli.Json)
            {
                Output.Json(view);
                return 0;
            }
            Output.Rows($"validator epochs (the next block is certified by epoch {view.CurrentEpoch})", ["epoch", "from block", "quorum", "validators"],
                view.Epochs.Select(e => new[]
                {
                    Text(e.Epoch), Text(e.From), e.Quorum.ToString(CultureInfo.InvariantCulture),
                    string.Join(", ", e.Validators.Select(v => $"{v.Org} ({v.PublicKey[..10]}…)")),
                }));
            Output.Rows("membership proposals", ["id", "action", "org", "quorum", "effective", "approvals", "status"],
                view.Proposals.Select(p => new[]
                {
                    p.Id, p.Action, p.Org, p.Quorum == 0 ? "unchanged" : p.Quorum.ToString(CultureInfo.InvariantCulture),
                    Text(p.EffectiveHeight), string.Join(",", p.Approvals), p.Status.Text(),
                }));
            return 0;
        });

    private static Command Propose()
    {
        var addOrg = new Argument<string>("org") { Description = "Id of the new organisation (a-z 0-9 '-', starting with a letter)" };
        var name = new Option<string>("--name") { Description = "Its display name", Required = true };
        var admins = new Option<string[]>("--admin") { Description = "An admin's public key: hex, PEM file or key name (repeatable)", Required = true, AllowMultipleArgumentsPerToken = false };
        var validator = new Option<string>("--validator") { Description = "The public key of its peer (hex, PEM file such as the peer's node.key, or key name); omit for an organisation without a peer" };
        var add = Build("add-org", "Propose adding an organisation.\nExample: thingledger membership propose add-org solarco --name \"Solar Co\" --admin solarco-admin.pem --validator solarco/node.key --at +20 --as voltmotors-admin",
            [addOrg, name, admins, validator],
            (parse, cli, at, quorum) => new MembershipProposal(MembershipAction.AddOrg, parse.GetValue(addOrg)!, parse.GetValue(name)!,
                [.. parse.GetValue(admins)!.Select(a => cli.ResolvePublicKey("--admin", a))],
                parse.GetValue(validator) is { } v ? cli.ResolvePublicKey("--validator", v) : null, quorum, at));

        var removeOrg = new Argument<string>("org") { Description = "Id of the organisation to remove" };
        var remove = Build("remove-org", "Propose removing an organisation: its validator stops counting and its members lose their roles at the height.\nExample: thingledger membership propose remove-org gridco --at +20 --as voltmotors-admin",
            [removeOrg],
            (parse, _, at, quorum) => new MembershipProposal(MembershipAction.RemoveOrg, parse.GetValue(removeOrg)!, string.Empty, [], null, quorum, at));

        var newQuorum = new Argument<uint>("quorum") { Description = "How many validators must sign a block" };
        var setQuorum = Build("set-quorum", "Propose a new quorum.\nExample: thingledger membership propose set-quorum 3 --at +20 --as voltmotors-admin",
            [newQuorum],
            (parse, _, at, _) => new MembershipProposal(MembershipAction.SetQuorum, string.Empty, string.Empty, [], null, parse.GetValue(newQuorum), at),
            withQuorumOption: false);
        return new Command("propose", "Propose a membership change; the proposer's organisation approves it at once.").With(add, remove, setQuorum);
    }

    private static Command Build(
        string name, string description, Symbol[] symbols, Func<ParseResult, CliContext, ulong, uint, MembershipProposal> build, bool withQuorumOption = true)
    {
        var at = new Option<string>("--at") { Description = "The height it takes effect: a block number, or +N for N blocks after the current head", DefaultValueFactory = _ => "+20" };
        var quorum = new Option<uint>("--quorum") { Description = "The quorum from then on (default: unchanged)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        var command = new Command(name, description).With(symbols).With(at, signer, noWait).With(withQuorumOption ? [quorum] : []);
        return command.Runs(async (parse, cli, ct) =>
        {
            var height = await EffectiveHeightAsync(cli, parse.GetValue(at)!, ct).ConfigureAwait(false);
            var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
            var (code, tx) = await cli.SubmitAsync(account, Operations.ProposeMembership(build(parse, cli, height, withQuorumOption ? parse.GetValue(quorum) : 0)), parse.GetValue(noWait), ct).ConfigureAwait(false);
            if (!cli.Json && code == 0)
            {
                Console.WriteLine($"proposal id: {tx.Id} (effective at block {height}; other organisations approve with `thingledger membership approve {tx.Id}`)");
            }
            return code;
        });
    }

    private static Command Approve()
    {
        var id = new Argument<string>("proposal") { Description = "The proposal id (the id of the tx that proposed it)" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("approve", "Approve a membership proposal for your organisation; the approval that reaches the quorum enacts it.\n" +
            "Example: thingledger membership approve 3f2a… --as gridco-admin").With(id, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                if (!Hash.TryParse(parse.GetValue(id), out var proposal))
                {
                    throw new FormatException($"'{parse.GetValue(id)}' is not a proposal id (64 hex digits)");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.ApproveMembership(proposal), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    /// <summary>"120" is block 120; "+20" is 20 blocks after the node's current head.</summary>
    private static async Task<ulong> EffectiveHeightAsync(CliContext cli, string text, CancellationToken cancellationToken)
    {
        var relative = text.StartsWith('+');
        if (!ulong.TryParse(relative ? text[1..] : text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
        {
            throw new FormatException($"--at '{text}' must be a block height or +N with N at least 1");
        }
        if (!relative)
        {
            return value;
        }
        var status = await cli.Client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        return checked(status.Height + value);
    }

    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);
}
