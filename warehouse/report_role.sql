-- The role the report's queries run as: jobpulse_report, a role without
-- login that may read the warehouse's tables and views and nothing else. It
-- cannot read the catalogs that hold secrets (pg_authid, pg_user_mapping,
-- pg_statistic), call the functions that read or list server files
-- (pg_read_file, pg_ls_dir, lo_import) or signal backends, nor see other
-- sessions' queries in pg_stat_activity: PostgreSQL refuses. The build takes
-- it (SET ROLE) when its login is a member (see site's buildSessionSQL).
--
-- Migrate runs this after the migrations, every time, under its lock, so
-- that every table and view a migration made is covered. It changes nothing
-- when everything is in place. The role is cluster-wide: it is made here
-- when missing if the login may create roles (a superuser, such as the
-- managed server's login, or a CREATEROLE login), and the login is made a
-- member of it when it is not one yet; otherwise an administrator makes it
-- (see the README). Several databases of one server may run this at the same
-- moment: a role made or granted by another one in between is no error.
DO $$
DECLARE
	rel regclass;
BEGIN
	IF to_regrole('jobpulse_report') IS NULL THEN
		IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
			RETURN; -- nothing to grant to; the build reads as pg_read_all_data or the login
		END IF;
		BEGIN
			CREATE ROLE jobpulse_report NOLOGIN;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL; -- made by another database of this server just now
		END;
	END IF;
	IF NOT pg_has_role('jobpulse_report', 'MEMBER') THEN
		BEGIN
			EXECUTE format('GRANT jobpulse_report TO %I', current_user);
		EXCEPTION WHEN insufficient_privilege OR duplicate_object OR unique_violation OR invalid_grant_operation THEN
			RAISE WARNING 'jobpulse: % is not a member of jobpulse_report and may not become one: '
				'the report will not run as jobpulse_report (GRANT jobpulse_report TO %)', current_user, current_user;
		END;
	END IF;
	IF NOT has_schema_privilege('jobpulse_report', current_schema(), 'USAGE') THEN
		BEGIN
			EXECUTE format('GRANT USAGE ON SCHEMA %I TO jobpulse_report', current_schema());
		EXCEPTION WHEN insufficient_privilege THEN
			RAISE WARNING 'jobpulse: jobpulse_report may not use schema % and % may not grant it: '
				'the report will not read the warehouse as jobpulse_report', current_schema(), current_user;
		END;
	END IF;
	-- Tables, views, materialized views, partitioned and foreign tables of
	-- the warehouse's schema that the login owns: its own grants only.
	FOR rel IN
		SELECT c.oid FROM pg_class c
		WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
			AND pg_has_role(c.relowner, 'USAGE') AND NOT has_table_privilege('jobpulse_report', c.oid, 'SELECT')
		ORDER BY c.oid
	LOOP
		EXECUTE format('GRANT SELECT ON %s TO jobpulse_report', rel);
	END LOOP;
END $$
