using System.CommandLine;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Identity;

namespace ThingLedger.Cli.Commands;

/// <summary>org list; member add|update|remove|list.</summary>
internal static class IdentityCommands
{
    public static Command Org()
    {
        var list = new Command("list", "List the organisations.\nExample: thingledger org list").Runs(async (_, cli, ct) =>
        {
            var orgs = await cli.Client.GetOrgsAsync(ct).ConfigureAwait(false);
            if (cli.Json)
            {
                Output.Json(orgs);
            }
            else
            {
                Output.Rows("organisations", ["id", "name"], orgs.Select(o => new[] { o.Id, o.Name }));
            }
            return 0;
        });
        return new Command("org", "Organisations of the consortium.").With(list);
    }

    public static Command Member()
    {
        return new Command("member", "Members of an organisation and their roles (admin, operator, device-manager, auditor).")
            .With(Change("add", "Add a member with roles.\nExample: thingledger member add tl… --org voltmotors --roles device-manager --as voltmotors-admin", true, Operations.AddMember),
                Change("update", "Replace a member's roles.\nExample: thingledger member update tl… --org voltmotors --roles operator,auditor --as voltmotors-admin", true, Operations.UpdateMember),
                Change("remove", "Remove a member.\nExample: thingledger member remove tl… --org voltmotors --as voltmotors-admin", false, (org, a, _) => Operations.RemoveMember(org, a)),
                List());
    }

    private static Command Change(string name, string description, bool needsRoles, Func<string, Core.Crypto.Address, Roles, Operation> build)
    {
        var member = new Argument<string>("member") { Description = "Address (tl…) or key name" };
        var org = new Option<string>("--org") { Description = "Organisation id", Required = true };
        var roles = new Option<string>("--roles") { Description = "Comma-separated roles: admin, operator, device-manager, auditor", Required = needsRoles };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(name, description).With(member, org, signer, noWait).With(needsRoles ? [roles] : [])
            .Runs(async (parse, cli, ct) =>
            {
                var parsedRoles = Roles.None;
                if (needsRoles && !RoleNames.TryParse(parse.GetValue(roles), out parsedRoles))
                {
                    throw new FormatException($"--roles '{parse.GetValue(roles)}': use a comma-separated list of admin, operator, device-manager, auditor");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, build(parse.GetValue(org)!, cli.ResolveAddress(parse.GetValue(member)!), parsedRoles), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command List()
    {
        var org = new Option<string>("--org") { Description = "Organisation id", Required = true };
        return new Command("list", "List an organisation's members.\nExample: thingledger member list --org voltmotors").With(org)
            .Runs(async (parse, cli, ct) =>
            {
                var page = await cli.Client.GetMembersAsync(parse.GetValue(org)!, ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(page);
                }
                else
                {
                    Output.Rows($"members of {parse.GetValue(org)}", ["address", "roles", "since block"],
                        page.Items.Select(m => new[] { m.Address, m.Roles, m.Since.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
                }
                return 0;
            });
    }
}

/// <summary>The identity module's commands.</summary>
internal sealed class IdentityCli : CliModule
{
    public override string Module => IdentityNames.ModuleName;

    public override IEnumerable<Command> Commands() => [IdentityCommands.Org(), IdentityCommands.Member(), MembershipCommands.Create()];
}
