namespace ThingLedger.Cli.Tests;

/// <summary>Tables on a narrow terminal never split an id over lines.</summary>
public sealed class OutputTests
{
    private const string Device = "tl1d026b92d215c83a3a3e39c5ed6dda51e84db7b3634f3458";
    private const string TxId = "c27bb7b432b9675366f4a77ecb2579de84b9ec66c7fbd62355e7ddcbe0c39127";

    [Fact]
    public void Ids_are_shortened_to_a_searchable_prefix_only_when_the_table_would_not_fit()
    {
        string[] columns = ["device", "tx", "model"];
        List<string[]> Rows() => [[Device, TxId, "ev-x1"], ["short", "also", "sm-2"]];

        var narrow = Rows();
        Assert.True(Output.Fit(columns, narrow, 80));
        Assert.Equal(["tl1d026b92d215c8…", "c27bb7b432b96753…", "ev-x1"], narrow[0]);
        Assert.Equal(["short", "also", "sm-2"], narrow[1]);

        var wide = Rows();
        Assert.False(Output.Fit(columns, wide, 200));
        Assert.Equal(Device, wide[0][0]);
    }

    [Fact]
    public async Task Wide_is_an_option_of_every_command()
    {
        var help = await CliProcess.RunAsync(TimeSpan.FromSeconds(60), "device", "list", "--help");
        Assert.Contains("--wide", help.Out, StringComparison.Ordinal);
    }
}
