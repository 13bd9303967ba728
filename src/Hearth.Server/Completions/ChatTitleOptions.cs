using Hearth.Server.Hosting;

namespace Hearth.Server.Completions;

/// <summary>
/// Titles made by a model after a chat's first reply, as Open WebUI makes them: <c>ENABLE_TITLE_GENERATION</c>
/// (on unless set false), <c>TITLE_GENERATION_PROMPT_TEMPLATE</c> (the prompt; <c>{{MESSAGES}}</c>,
/// <c>{{MESSAGES:END:n}}</c>, <c>{{MESSAGES:START:n}}</c> and <c>{{prompt}}</c> are filled in), and Open WebUI's task
/// models: <c>TASK_MODEL</c> makes the titles of chats on an Ollama model, <c>TASK_MODEL_EXTERNAL</c> those of chats
/// on an OpenAI-compatible one; unset, or naming a model no connection serves, the chat's own model does.
/// </summary>
internal sealed class ChatTitleOptions
{
    /// <summary>Hearth's own wording of the task; it asks for Open WebUI's answer shape, <c>{"title": "..."}</c>.</summary>
    public const string DefaultTemplate = """
        Write a title for the conversation below: three to five words that name what it is about, in the language the
        user writes in. An emoji at the start is welcome when it helps; quotation marks and formatting are not.

        Answer with JSON only, in this shape: { "title": "the title" }

        <chat_history>
        {{MESSAGES:END:2}}
        </chat_history>
        """;

    public bool Enabled { get; set; } = true;
    public string Template { get; set; } = DefaultTemplate;
    public string? TaskModel { get; set; }
    public string? TaskModelExternal { get; set; }

    public static void MapEnvironment(ChatTitleOptions options, IConfiguration configuration)
    {
        options.Enabled = Setting.Bool(configuration, "ENABLE_TITLE_GENERATION") ?? options.Enabled;
        options.Template = Setting.Raw(configuration, "TITLE_GENERATION_PROMPT_TEMPLATE") is { Length: > 0 } template ? template : options.Template;
        options.TaskModel = Setting.Raw(configuration, "TASK_MODEL") is { } task && !string.IsNullOrWhiteSpace(task) ? task.Trim() : options.TaskModel;
        options.TaskModelExternal = Setting.Raw(configuration, "TASK_MODEL_EXTERNAL") is { } external && !string.IsNullOrWhiteSpace(external)
            ? external.Trim() : options.TaskModelExternal;
    }
}
