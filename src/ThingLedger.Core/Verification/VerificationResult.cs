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
