using Hearth.Server.Storage;

namespace Hearth.Tests.Storage;

/// <summary>
/// Every migration on main is released: databases out there were built by its exact text, and Hearth refuses a
/// database whose recorded script hash differs from the shipped one. This table pins each released script, so
/// an edit fails here first. A new migration gets its line once it is ready for main.
/// </summary>
public sealed class ReleasedMigrationTests
{
    private static readonly Dictionary<string, string> Released = new()
    {
        ["postgres/0001_users_and_auth.sql"] = "61561759c0f401917eb47a009d16b8f53bfeeb73b14a208f044aee124b3d4fdb",
        ["postgres/0002_chats.sql"] = "3e488a3b29097152f1250fc018247e7c41a6a96652625be76c72150cba3cab92",
        ["postgres/0003_artifacts.sql"] = "fb60f3abbca923728fb181d8022c6e0b508ef3537d2d79339cf837c9b00f56f1",
        ["postgres/0004_artifact_files.sql"] = "6d39901404d98921fb759bdca184c7f338494558b04bb09a1b66aacd3995d4e9",
        ["postgres/0005_event_relay.sql"] = "7ec44a8c8ff0401abf3c4d0ae588c97a1bdce01dbe69aa8848a410db75c3e3a3",
        ["postgres/0006_chat_list_versions.sql"] = "b43a2d45edbfdbfe587a2de423f0355e0bfe8e99b142d2058b2e732a7a6b0791",
        ["postgres/0007_chat_folder_guard.sql"] = "87c471236cd5a6cbcb5684776cfc3a2629d7024108c9d71ee20f34bbfce08c36",
        ["postgres/0008_chat_flat_messages.sql"] = "5b1c67a14b54735ced7d90eda49a0e07a39c89988159e7dace19805638edd2f9",
        ["postgres/0009_chat_writes_in_code.sql"] = "9b675076062582d1f3f5f239f54e4e8690955d850ef9943dac601fba358bea47",
        ["postgres/0010_chat_read_state.sql"] = "26750e37a22ef1797057bc00bee0ee7a8f7fe6871a7c178a055e4c996aca7e0b",
        ["postgres/0011_user_details.sql"] = "16b76b45d478fe86998e0bb0f5166b789722fe65a455cc1e45cfa778dd83fd59",
        ["postgres/0012_groups_and_access_grants.sql"] = "2c532c20ac6f539e67112e27ce8c9f395b23b6c4ce6b713c9043a9f16c49bee9",
        ["postgres/0013_workspace_models.sql"] = "e49adf570715de942e43ec86c3c0a3a3492e1b42952436e43c044ca27da81b3e",
        ["postgres/0014_share_grants.sql"] = "a6b711889eebe197f6aab8c847aa20786f0adcaa3a8b47f266a591996e49665c",
        ["sqlite/0001_users_and_auth.sql"] = "cb2b1898caedbc2170769367d4505ab765d3b4d1353eeda901d652d435084538",
        ["sqlite/0002_chats.sql"] = "5f516012de22ba28b3f205147de6dacce7a11f77ac71cdef22b42fca2232062e",
        ["sqlite/0003_artifacts.sql"] = "980bb6ed7620cbfb311247416c3d83443e1a38e0ac8d4f63d2a83d25c42ec3f9",
        ["sqlite/0004_artifact_files.sql"] = "b5977142d963b6182d31241d8e53d88ed91fa27830f2a0c2dc20d732431f2f78",
        ["sqlite/0005_event_relay.sql"] = "336f3106ed8054070b7b0c5005a3cf92fd09f98210627d4361d137aa45465bf5",
        ["sqlite/0006_chat_list_versions.sql"] = "8462e41920da518d5b369a9df38958a0647229239a49b6b4ac55f7ac39bbb659",
        ["sqlite/0007_chat_folder_guard.sql"] = "3d23275d170dc85c8a4f2a2a6870fff0d0d94d76eeca422b9ebf6191da3819c4",
        ["sqlite/0008_chat_flat_messages.sql"] = "b0ed282a8199e60d8153554bb2df767cda65da0d6b762b164a35230eeef38da4",
        ["sqlite/0009_chat_writes_in_code.sql"] = "da8200bd8967a0ba4ea1166a247da560cc64fee0ae8ec13b8503d79af72ea75f",
        ["sqlite/0010_chat_read_state.sql"] = "f2919683d866c7f795754eb1cd61d54981209a1c92710666dacf6d35b44c220e",
        ["sqlite/0011_user_details.sql"] = "90fc8f2f944aa6861ba53eb86fbc069c04fc2885cab5279dc96c96acc6937394",
        ["sqlite/0012_groups_and_access_grants.sql"] = "1e9b6f3a802865b0a8ed9198221c73cd6fbe64a46920f5c7fb85ce3c7a47ebae",
        ["sqlite/0013_workspace_models.sql"] = "e31d48c275a747aaf53bf0fd37e0554e1ac291804f9674fb0c054dc3330d8a6b",
        ["sqlite/0014_share_grants.sql"] = "a6b711889eebe197f6aab8c847aa20786f0adcaa3a8b47f266a591996e49665c",
    };

    private static Dictionary<string, Migration> Shipped() =>
        new[] { (Folder: "postgres", Provider: DatabaseProvider.Postgres), (Folder: "sqlite", Provider: DatabaseProvider.Sqlite) }
            .SelectMany(p => MigrationScripts.Embedded(p.Provider).Select(m => (Path: $"{p.Folder}/{m.FileName}", Migration: m)))
            .ToDictionary(x => x.Path, x => x.Migration);

    [Fact]
    public void NoReleasedMigrationHasChanged()
    {
        var problems = new List<string>();
        foreach (var (path, migration) in Shipped())
        {
            if (migration.Sql.Contains('\r'))
            {
                // The bytes run and hashed would differ from the released ones: a checkout problem, not an edit.
                problems.Add($"{path} has CR line endings: .gitattributes keeps *.sql LF; check the file out again with git checkout.");
            }
            else if (Released.TryGetValue(path, out var pinned) && pinned != migration.Sha256)
            {
                problems.Add($"{path} is released and must not change (pinned SHA-256 {pinned}, now {migration.Sha256}): " +
                    "restore it and add a new migration instead.");
            }
        }
        problems.AddRange(Released.Keys.Except(Shipped().Keys).Select(path =>
            $"{path} is released but no longer shipped: databases have applied it, so it stays; add a new migration instead."));
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryShippedMigrationIsPinned()
    {
        var unpinned = Shipped().Where(s => !Released.ContainsKey(s.Key))
            .Select(s => $"[\"{s.Key}\"] = \"{s.Value.Sha256}\",").ToList();
        Assert.True(unpinned.Count == 0,
            "New migrations must be pinned once they reach main (and never change after): add to ReleasedMigrationTests.Released" +
            Environment.NewLine + string.Join(Environment.NewLine, unpinned));
    }
}
