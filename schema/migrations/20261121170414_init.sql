-- Create enum type "auth_type"
CREATE TYPE "auth_type" AS ENUM ('email_signup', 'github');
-- Create enum type "team_role"
CREATE TYPE "team_role" AS ENUM ('team_admin', 'team_user');
-- Create "roles" table
CREATE TABLE "roles" ("id" text NOT NULL, "name" text NOT NULL, "description" text NULL, "permissions" jsonb NOT NULL DEFAULT '[]', "is_system_role" boolean NOT NULL DEFAULT false, "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"), CONSTRAINT "roles_permissions_is_array" CHECK (jsonb_typeof(permissions) = 'array'::text));
-- Create index "roles_name_key" to table: "roles"
CREATE UNIQUE INDEX "roles_name_key" ON "roles" ("name");
-- Create "users" table
CREATE TABLE "users" ("id" text NOT NULL, "username" text NOT NULL, "email" text NOT NULL, "auth_type" "auth_type" NOT NULL, "first_name" text NULL, "last_name" text NULL, "github_id" text NULL, "hashed_password" text NULL, "email_verified" boolean NOT NULL DEFAULT false, "role_id" text NOT NULL, "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"), CONSTRAINT "users_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "roles" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "users_email_key" to table: "users"
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
-- Create index "users_email_lower_idx" to table: "users"
CREATE INDEX "users_email_lower_idx" ON "users" ((lower(email)));
-- Create index "users_github_id_key" to table: "users"
CREATE UNIQUE INDEX "users_github_id_key" ON "users" ("github_id");
-- Create index "users_role_id_idx" to table: "users"
CREATE INDEX "users_role_id_idx" ON "users" ("role_id");
-- Create index "users_username_key" to table: "users"
CREATE UNIQUE INDEX "users_username_key" ON "users" ("username");
-- Create "sessions" table
CREATE TABLE "sessions" ("id" text NOT NULL, "user_id" text NOT NULL, "expires_at" timestamptz NOT NULL, PRIMARY KEY ("id"), CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "sessions_expires_at_idx" to table: "sessions"
CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at");
-- Create index "sessions_user_id_idx" to table: "sessions"
CREATE INDEX "sessions_user_id_idx" ON "sessions" ("user_id");
-- Create "teams" table
CREATE TABLE "teams" ("id" text NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "description" text NULL, "owner_id" text NOT NULL, "is_default" boolean NOT NULL DEFAULT false, "created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"), CONSTRAINT "teams_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION);
-- Create index "teams_owner_id_idx" to table: "teams"
CREATE INDEX "teams_owner_id_idx" ON "teams" ("owner_id");
-- Create index "teams_slug_key" to table: "teams"
CREATE UNIQUE INDEX "teams_slug_key" ON "teams" ("slug");
-- Create "team_members" table
CREATE TABLE "team_members" ("id" text NOT NULL, "team_id" text NOT NULL, "user_id" text NOT NULL, "role" "team_role" NOT NULL, "joined_at" timestamptz NOT NULL DEFAULT now(), PRIMARY KEY ("id"), CONSTRAINT "team_members_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE, CONSTRAINT "team_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);
-- Create index "team_members_team_id_user_id_key" to table: "team_members"
CREATE UNIQUE INDEX "team_members_team_id_user_id_key" ON "team_members" ("team_id", "user_id");
-- Create index "team_members_user_id_idx" to table: "team_members"
CREATE INDEX "team_members_user_id_idx" ON "team_members" ("user_id");
