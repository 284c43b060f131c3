-- McpToolMetadataUpsertMany records the tools discovered on an installation
-- in one statement: the arrays are parallel, one element per tool. A known
-- tool keeps its id, discovered_at and is_disabled (the team's choice) and
-- takes the new description, schema and token count. DeployStack writes
-- them one by one.
-- name: McpToolMetadataUpsertMany :execrows
INSERT INTO mcp_tool_metadata (id, installation_id, team_id, tool_name, description, input_schema, token_count)
SELECT gen_random_uuid()::text, @installation_id::text, @team_id::text,
       unnest(@tool_names::text[]), unnest(@descriptions::text[]), unnest(@input_schemas::jsonb[]),
       unnest(@token_counts::integer[])
ON CONFLICT (installation_id, tool_name) DO UPDATE SET
    description = excluded.description,
    input_schema = excluded.input_schema,
    token_count = excluded.token_count,
    updated_at = now();

-- McpToolMetadataListByInstallation returns an installation's tools by name
-- (mcp_tool_metadata_unique_installation_tool).
-- name: McpToolMetadataListByInstallation :many
SELECT * FROM mcp_tool_metadata WHERE installation_id = @installation_id ORDER BY tool_name;

-- McpToolMetadataUpdateDisabled turns one tool of an installation off or on.
-- name: McpToolMetadataUpdateDisabled :execrows
UPDATE mcp_tool_metadata SET is_disabled = @is_disabled, updated_at = now()
WHERE installation_id = @installation_id AND tool_name = @tool_name;

-- McpToolMetadataDeleteStale removes an installation's tools that are not in
-- keep_tool_names: after a rediscovery, with McpToolMetadataUpsertMany.
-- name: McpToolMetadataDeleteStale :execrows
DELETE FROM mcp_tool_metadata
WHERE installation_id = @installation_id AND tool_name <> ALL(@keep_tool_names::text[]);
