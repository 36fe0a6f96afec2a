using ThingLedger.Core.Crypto;
using ThingLedger.Execution;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Client;

/// <summary>The tokens module's operations, ready to sign.</summary>
public static partial class Operations
{
    [Builds(TokensNames.ModuleName, TokensNames.Create)]
    public static Operation CreateToken(string symbol, string name, byte decimals, Roles mintRoles, UInt128 cap) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.Create, new CreateTokenPayload(symbol, name, decimals, mintRoles, cap));

    [Builds(TokensNames.ModuleName, TokensNames.Mint)]
    public static Operation Mint(string symbol, Address to, UInt128 amount) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.Mint, new TokenAmountPayload(symbol, to, amount));

    [Builds(TokensNames.ModuleName, TokensNames.TransferOp)]
    public static Operation Transfer(string symbol, Address to, UInt128 amount) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.TransferOp, new TokenAmountPayload(symbol, to, amount));

    [Builds(TokensNames.ModuleName, TokensNames.Burn)]
    public static Operation Burn(string symbol, UInt128 amount) =>
        Operation.Of(TokensNames.ModuleName, TokensNames.Burn, new BurnPayload(symbol, amount));
}
