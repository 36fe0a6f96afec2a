namespace ThingLedger.Core.Verification;

/// <summary>
/// The outcome of an offline check. When it fails, <see cref="Link"/> names the link of the
/// proof chain that broke (certificate, header, state-proof, tx-inclusion, receipt-inclusion …).
/// </summary>
public sealed record VerificationResult(bool Ok, string Link, string Message)
{
    public static VerificationResult Valid(string message) => new(true, string.Empty, message);

    public static VerificationResult Broken(string link, string message) => new(false, link, message);
}

/// <summary>One link of a proof chain as a verifier checked it.</summary>
public sealed record LinkCheck(string Link, bool Ok, string Message);

/// <summary>
/// The links a verification checked, in the order it checked them: every link that held, then
/// the one that broke (verification stops there). Pass one to <see cref="ProofDocument.Verify"/>
/// to show a reader each step of the chain rather than only the verdict.
/// </summary>
public sealed class LinkTrace
{
    private readonly List<LinkCheck> _checks = [];

    public IReadOnlyList<LinkCheck> Checks => _checks;

    public void Pass(string link, string message) => _checks.Add(new LinkCheck(link, true, message));

    internal VerificationResult End(VerificationResult result)
    {
        if (!result.Ok)
        {
            _checks.Add(new LinkCheck(result.Link, false, result.Message));
        }
        return result;
    }
}
