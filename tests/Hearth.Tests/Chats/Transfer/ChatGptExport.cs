using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Hearth.Tests.Chats.Transfer;

/// <summary>
/// A ChatGPT data export as ChatGPT writes it: <c>conversations.json</c> with a node tree holding every content
/// type (uploads, thoughts, code-interpreter runs with a chart, browsing, code, a sandbox file, DALL·E), and the
/// files beside it in the <c>.zip</c>.
/// </summary>
internal static class ChatGptExport
{
    public const long Created = 1_712_100_000; // the conversation's create_time, written out in the JSON below
    public static readonly byte[] Upload = Png(1);
    public static readonly byte[] Chart = Png(2);
    public static readonly byte[] Dalle = Png(3);
    public static readonly byte[] Csv = Encoding.UTF8.GetBytes("hour,height\n1,2\n2,4\n");

    /// <summary>A distinguishable small PNG (the signature is what Hearth sniffs; the rest tells them apart).</summary>
    private static byte[] Png(byte mark) => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, mark, mark, mark];

    public static string ConversationsJson() => """
        [{
          "title": "Proofing the dough", "create_time": 1712100000.25, "update_time": 1712100600.5,
          "current_node": "a7", "conversation_id": "c-9", "is_archived": false,
          "mapping": {
            "root": {"id": "root", "message": null, "parent": null, "children": ["sys"]},
            "sys": {"id": "sys", "parent": "root", "children": ["u1"], "message": {"id": "sys", "author": {"role": "system"},
                    "content": {"content_type": "text", "parts": [""]}, "metadata": {"is_visually_hidden_from_conversation": true}}},
            "u1": {"id": "u1", "parent": "sys", "children": ["a1"], "message": {"id": "u1", "author": {"role": "user"}, "create_time": 1712100010,
                   "content": {"content_type": "multimodal_text", "parts": [
                     {"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-Upload1", "width": 64, "height": 64},
                     "How far has this risen?"]},
                   "metadata": {"attachments": [{"id": "file-Upload1", "name": "jar.png", "mime_type": "image/png"}]}}},
            "a1": {"id": "a1", "parent": "u1", "children": ["a2"], "message": {"id": "a1", "author": {"role": "assistant"}, "create_time": 1712100020,
                   "content": {"content_type": "thoughts", "thoughts": [{"summary": "Reading the jar", "content": "The band is at the start.\nIt doubled."}]},
                   "metadata": {"model_slug": "o3", "finished_duration_sec": 7}}},
            "a2": {"id": "a2", "parent": "a1", "children": ["a3"], "message": {"id": "a2", "author": {"role": "assistant"},
                   "content": {"content_type": "reasoning_recap", "content": "Thought for 7s"}, "metadata": {"model_slug": "o3"}}},
            "a3": {"id": "a3", "parent": "a2", "children": ["t1"], "message": {"id": "a3", "author": {"role": "assistant"}, "recipient": "python",
                   "content": {"content_type": "code", "language": "unknown", "text": "print(2 * 2)"}, "metadata": {"model_slug": "o3"}}},
            "t1": {"id": "t1", "parent": "a3", "children": ["a4"], "message": {"id": "t1", "author": {"role": "tool", "name": "python"},
                   "content": {"content_type": "execution_output", "text": "4"},
                   "metadata": {"aggregate_result": {"code": "print(2 * 2)", "messages": [{"message_type": "image", "image_url": "file-service://file-Chart1"}]}}}},
            "a4": {"id": "a4", "parent": "t1", "children": ["t2"], "message": {"id": "a4", "author": {"role": "assistant"}, "recipient": "web.run",
                   "content": {"content_type": "code", "language": "json", "text": "{\"query\": \"proofing temperature\"}"}, "metadata": {"model_slug": "o3"}}},
            "t2": {"id": "t2", "parent": "a4", "children": ["a5"], "message": {"id": "t2", "author": {"role": "tool", "name": "web.run"},
                   "content": {"content_type": "tether_browsing_display", "result": "Ideal proofing is 24-26 °C.", "summary": "King Arthur"}}},
            "a5": {"id": "a5", "parent": "t2", "children": ["a6"], "message": {"id": "a5", "author": {"role": "assistant"},
                   "content": {"content_type": "code", "language": "javascript", "text": "console.log(`rise`)"}, "metadata": {"model_slug": "o3"}}},
            "a6": {"id": "a6", "parent": "a5", "children": ["u2"], "message": {"id": "a6", "author": {"role": "assistant"}, "recipient": "all",
                   "content": {"content_type": "text", "parts": ["It has doubled. [Download the log](sandbox:/mnt/data/rise.csv)"]}, "metadata": {"model_slug": "o3"}}},
            "u2": {"id": "u2", "parent": "a6", "children": ["d1"], "message": {"id": "u2", "author": {"role": "user"},
                   "content": {"content_type": "text", "parts": ["Draw the loaf"]}, "metadata": {}}},
            "d1": {"id": "d1", "parent": "u2", "children": ["d2"], "message": {"id": "d1", "author": {"role": "assistant"}, "recipient": "dalle.text2im", "create_time": 1712100040,
                   "content": {"content_type": "code", "language": "unknown", "text": "{\"prompt\": \"a proud loaf\"}"}, "metadata": {"model_slug": "gpt-4o"}}},
            "d2": {"id": "d2", "parent": "d1", "children": ["a7"], "message": {"id": "d2", "author": {"role": "tool", "name": "dalle.text2im"},
                   "content": {"content_type": "multimodal_text", "parts": [{"content_type": "image_asset_pointer", "asset_pointer": "sediment://file_0000Dalle",
                     "metadata": {"dalle": {"prompt": "a proud loaf"}}}]}}},
            "a7": {"id": "a7", "parent": "d2", "children": [], "message": {"id": "a7", "author": {"role": "assistant"},
                   "content": {"content_type": "text", "parts": ["Here is your loaf."]}, "metadata": {"model_slug": "gpt-4o"}}}
          }
        }]
        """;

    /// <summary>The export <c>.zip</c>: the conversations and the files under the names ChatGPT gives them.</summary>
    public static void WriteZip(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Add(string name, byte[] bytes)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(bytes);
        }
        Add("conversations.json", Encoding.UTF8.GetBytes(ConversationsJson()));
        Add("file-Upload1-jar.png", Upload);
        Add("file-Chart1-5f1c2d.png", Chart);
        Add("dalle-generations/file_0000Dalle-9d1e.webp", Dalle);
        Add("rise.csv", Csv);
        Add("user.json", Encoding.UTF8.GetBytes("{}"));
    }

    public static JsonObject Message(JsonNode chat, string id) => chat["chat"]!["history"]!["messages"]![id]!.AsObject();
}
