-- Which case group (a yearly promotion round, an annual assessment) a case is a member of, and the group's kind, on
-- the case's own row: a list of cases (the inbox, whose batch section offers only a round's promotions) says so in
-- the statement that reads the list. The group records its members (CaseGroupMember) before it starts their cases,
-- so the row takes them when it is first written, by a trigger, whoever writes it (the fenced projection's
-- function, the older upsert, a restore that carries its own keeps it). A membership recorded after the row (not
-- done today) reaches the row too.

-- AlterTable
ALTER TABLE "Case" ADD COLUMN "groupId" TEXT,
ADD COLUMN "groupKind" TEXT;

-- Existing members.
UPDATE "Case" c SET "groupId" = g.id, "groupKind" = g.kind
FROM "CaseGroupMember" m JOIN "CaseGroup" g ON g.id = m."groupId"
WHERE m."caseId" = c.id;

CREATE FUNCTION case_group_of() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."groupId" IS NULL THEN
    SELECT g.id, g.kind INTO NEW."groupId", NEW."groupKind"
    FROM "CaseGroupMember" m JOIN "CaseGroup" g ON g.id = m."groupId"
    WHERE m."caseId" = NEW.id;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "Case_group_of" BEFORE INSERT ON "Case" FOR EACH ROW EXECUTE FUNCTION case_group_of();

CREATE FUNCTION case_group_member_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Case" SET "groupId" = g.id, "groupKind" = g.kind
  FROM "CaseGroup" g
  WHERE "Case".id = NEW."caseId" AND g.id = NEW."groupId" AND "Case"."groupId" IS NULL;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "CaseGroupMember_added" AFTER INSERT ON "CaseGroupMember" FOR EACH ROW EXECUTE FUNCTION case_group_member_added();
