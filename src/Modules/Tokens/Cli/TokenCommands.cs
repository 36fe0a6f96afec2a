using System.CommandLine;
using ThingLedger.Cli.Modules;
using ThingLedger.Client;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Cli.Commands;

/// <summary>token create|mint|transfer|burn|balance|list.</summary>
internal static class TokenCommands
{
    public static Command Token() =>
        new Command("token", "Fungible tokens: create, mint, transfer, burn, balances. Amounts are integers in the smallest unit.")
            .With(Create(), Amount("mint", "Mint to an address (roles per the token's mint policy).\nExample: thingledger token mint VOLT alice 1000 --as voltmotors-admin", Operations.Mint),
                Amount("transfer", "Transfer from the signer.\nExample: thingledger token transfer VOLT bob 250 --as alice", Operations.Transfer),
                Burn(), Balance(), List());

    private static Command Create()
    {
        var symbol = new Argument<string>("symbol") { Description = "2-12 of A-Z 0-9" };
        var name = new Option<string>("--name") { Description = "Display name", Required = true };
        var decimals = new Option<byte>("--decimals") { Description = "Decimal places for display (0-18)", DefaultValueFactory = _ => 0 };
        var mintRoles = new Option<string>("--mint-roles") { Description = "Roles allowed to mint", DefaultValueFactory = _ => "admin" };
        var cap = new Option<string>("--cap") { Description = "Maximum supply (0 = none)", DefaultValueFactory = _ => "0" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("create", "Create a token owned by the signer's organisation (admins only).\n" +
                "Example: thingledger token create VOLT --name \"Volt points\" --mint-roles admin,operator --cap 1000000000 --as voltmotors-admin")
            .With(symbol, name, decimals, mintRoles, cap, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                if (!RoleNames.TryParse(parse.GetValue(mintRoles), out var roles))
                {
                    throw new FormatException("--mint-roles: use a comma-separated list of admin, operator, device-manager, auditor");
                }
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.CreateToken(parse.GetValue(symbol)!, parse.GetValue(name)!, parse.GetValue(decimals), roles, CliArguments.Amount(parse.GetValue(cap)!, allowZero: true)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Amount(string verb, string description, Func<string, Core.Crypto.Address, UInt128, Operation> build)
    {
        var symbol = new Argument<string>("symbol") { Description = "Token symbol" };
        var to = new Argument<string>("to") { Description = "Recipient address or key name" };
        var amount = new Argument<string>("amount") { Description = "Integer amount in the smallest unit" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command(verb, description).With(symbol, to, amount, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, build(parse.GetValue(symbol)!, cli.ResolveAddress(parse.GetValue(to)!), CliArguments.Amount(parse.GetValue(amount)!, allowZero: false)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Burn()
    {
        var symbol = new Argument<string>("symbol") { Description = "Token symbol" };
        var amount = new Argument<string>("amount") { Description = "Integer amount" };
        var signer = CommonOptions.As();
        var noWait = CommonOptions.Wait();
        return new Command("burn", "Destroy part of the signer's balance.\nExample: thingledger token burn VOLT 10 --as alice").With(symbol, amount, signer, noWait)
            .Runs(async (parse, cli, ct) =>
            {
                var account = await cli.SignerAsync(parse.GetValue(signer)!, ct).ConfigureAwait(false);
                return (await cli.SubmitAsync(account, Operations.Burn(parse.GetValue(symbol)!, CliArguments.Amount(parse.GetValue(amount)!, allowZero: false)), parse.GetValue(noWait), ct).ConfigureAwait(false)).Exit;
            });
    }

    private static Command Balance()
    {
        var symbol = new Argument<string>("symbol") { Description = "Token symbol" };
        var holder = new Argument<string>("holder") { Description = "Address or key name" };
        return new Command("balance", "Show a balance in the token's units (--json: in smallest units).\nExample: thingledger token balance VOLT alice").With(symbol, holder)
            .Runs(async (parse, cli, ct) =>
            {
                var balance = await cli.Client.GetBalanceAsync(parse.GetValue(symbol)!, cli.ResolveAddress(parse.GetValue(holder)!), ct).ConfigureAwait(false);
                if (cli.Json)
                {
                    Output.Json(balance);
                }
                else
                {
                    var token = await cli.Client.GetTokenAsync(balance.Symbol, ct).ConfigureAwait(false);
                    Console.WriteLine($"{TokenUnits.Format(balance.Balance, token?.Decimals ?? 0)} {balance.Symbol}");
                }
                return 0;
            });
    }

    private static Command List() =>
        new Command("list", "List tokens with supply and policy.\nExample: thingledger token list").Runs(async (_, cli, ct) =>
        {
            var tokens = await cli.Client.GetTokensAsync(ct).ConfigureAwait(false);
            if (cli.Json)
            {
                Output.Json(tokens);
            }
            else
            {
                Output.Rows("tokens", ["symbol", "name", "org", "supply", "cap", "mint roles"],
                    tokens.Select(t => new[] { t.Symbol, t.Name, t.Org, TokenUnits.Format(t.Supply, t.Decimals), t.Cap == "0" ? "none" : TokenUnits.Format(t.Cap, t.Decimals), t.MintRoles }));
            }
            return 0;
        });
}

/// <summary>The tokens module's commands.</summary>
internal sealed class TokensCli : CliModule
{
    public override string Module => TokensNames.ModuleName;

    public override IEnumerable<Command> Commands() => [TokenCommands.Token()];
}
