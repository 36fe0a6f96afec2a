namespace ThingLedger.Core.Tests;

/// <summary>The fixed vectors of docs/WIRE-FORMAT.md. Changing any of these is a wire-format break.</summary>
internal static class FixedVectors
{
    public const string PublicKey1Hex = "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5";
    public const string Address1 = "tlcd4e85f170288d3eb4e513bf7812b358925b8e1967edd5d5";
    public const string DigestHex = "6590e7857b6f4dbbdc2a10c3cea72f9f64c32c91f223b7b8a3d61d8cf147eff6";
    public const string SignatureHex = "46223561c896e7be03ed0f6df15021a6f72ae161c84256be54e383ac387df43e27732ded6182c025774bae2b3df9ccfca3df638458d4b469aaa8eee9b2c18cbe";
    public const string TxBodyHex = "010c766563746f722d636861696e06746f6b656e73087472616e7366657203010203046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f500000000000000010000000000000064";
    public const string TxIdHex = "94c55bcabdd887e2412f9b2831d0e7aa7200edab7cf2857c2769a128c38b3825";
    public const string TxSignatureHex = "fb0bedc6e9a6d53cbacf707b967e4f91562c0f333c67ce932b147bad15048ac547965d8caa7c368cefde835cbb683d22b283ba50ccb8f0d343e161b589d8b595";
    public const string MerkleEmptyRoot = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public const string MerkleLeafA = "022a6979e6dab7aa5ae4c3e5e45f7e977112a7e63593820dbec1ec738a24f93c";
    public const string MerkleRootABC = "36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1";
    public const string StateRootA1 = "565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3";
    public const string StateRootA1B2 = "70a50295110313dd28320faccbee14d04dc2894e877a2e407115a2f337ed4efa";
    public const string HeaderHex = "010c766563746f722d636861696e000000000000000100000000000000000000000000000000000000000000000000000000000000000000018bcfe5680000000000e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85570a50295110313dd28320faccbee14d04dc2894e877a2e407115a2f337ed4efa";
    public const string HeaderHash = "69c9981e6f51440570dade4cbdfb59d18e9ddcff66989b360cf4af64fc04cd41";
}
