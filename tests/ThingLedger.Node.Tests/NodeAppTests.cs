using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace ThingLedger.Node.Tests;

public sealed class NodeAppTests
{
    [Fact]
    public async Task Configuration_files_are_read_once_and_never_watched()
    {
        var directory = Directory.CreateTempSubdirectory("tl-app-").FullName;
        try
        {
            DevChain.Initialize(directory, "app-test", DevChain.SampleOrgs, 1_700_000_000_000);
            await using (var app = NodeApp.Build([$"--Node:DataDirectory={directory}"]))
            {
                var files = ((IConfigurationBuilder)app.Configuration).Sources.OfType<FileConfigurationSource>().ToList();
                Assert.NotEmpty(files);
                Assert.All(files, file => Assert.False(file.ReloadOnChange, $"{file.Path} is watched for changes"));
            }
            SqliteConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
