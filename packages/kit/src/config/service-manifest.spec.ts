import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadServiceManifest } from "./service-manifest";

const VALID = `
name: notes
grpcServices:
  - velaflows.notes.v1.NotesService
basePath: /notes
database:
  schema: notes
ports:
  grpc: 50061
  http: 9461
dependsOn: [tags]
events:
  publishes: [notes.note.created]
  consumes: ["tags.tag.*"]
`;

describe("loadServiceManifest", () => {
  let dir: string;
  let fileCount = 0;
  const writeManifest = (text: string): string => {
    const path = join(dir, `service-${++fileCount}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kit-manifest-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("reads every field the platform uses", () => {
    expect(loadServiceManifest(writeManifest(VALID))).toEqual({
      name: "notes",
      grpcServices: ["velaflows.notes.v1.NotesService"],
      basePath: "/notes",
      databaseSchema: "notes",
      ports: { grpc: 50061, http: 9461 },
      dependsOn: ["tags"],
      events: { publishes: ["notes.note.created"], consumes: ["tags.tag.*"] },
    });
  });

  test("defaults the optional lists to empty and freezes the result", () => {
    const path = writeManifest(
      "name: notes\ngrpcServices: [velaflows.notes.v1.NotesService]\nbasePath: /notes\ndatabase: {schema: notes}\nports: {grpc: 1, http: 65535}\n",
    );
    const manifest = loadServiceManifest(path);
    expect({ dependsOn: manifest.dependsOn, events: manifest.events }).toEqual({ dependsOn: [], events: { publishes: [], consumes: [] } });
    expect(Object.isFrozen(manifest)).toBe(true);
  });

  test.each([
    ["no name", VALID.replace("name: notes\n", ""), '"name" must be a non-empty string'],
    ["an empty name", VALID.replace("name: notes", 'name: ""'), '"name" must be a non-empty string'],
    ["no grpcServices", VALID.replace(/grpcServices:\n {2}- \S+\n/, ""), '"grpcServices" must be a non-empty list of strings'],
    ["an empty grpcServices", VALID.replace(/grpcServices:\n {2}- \S+\n/, "grpcServices: []\n"), '"grpcServices" must be a non-empty list of strings'],
    ["a grpcServices that is a string", VALID.replace(/grpcServices:\n {2}- \S+\n/, "grpcServices: velaflows.notes.v1.NotesService\n"), '"grpcServices" must be a list of strings'],
    ["a numeric basePath", VALID.replace("basePath: /notes", "basePath: 12"), '"basePath" must be a non-empty string'],
    ["no database schema", VALID.replace("  schema: notes\n", ""), '"database.schema" must be a non-empty string'],
    ["a gRPC port out of range", VALID.replace("grpc: 50061", "grpc: 70000"), '"ports.grpc" must be a port number'],
    ["a zero gRPC port", VALID.replace("grpc: 50061", "grpc: 0"), '"ports.grpc" must be a port number'],
    ["a quoted HTTP port", VALID.replace("http: 9461", 'http: "9461"'), '"ports.http" must be a port number'],
    ["no ports", VALID.replace(/ports:\n {2}grpc: \d+\n {2}http: \d+\n/, ""), '"ports.grpc" must be a port number'],
    ["a dependsOn that is a string", VALID.replace("dependsOn: [tags]", "dependsOn: tags"), '"dependsOn" must be a list of strings'],
    ["a published event that is a number", VALID.replace("publishes: [notes.note.created]", "publishes: [1]"), '"events.publishes" must be a list of strings'],
    ["an empty file", "", '"grpcServices" must be a non-empty list of strings'],
    ["a file holding a list", "- name: notes\n", '"grpcServices" must be a non-empty list of strings'],
  ])("refuses %s, naming the file and the field", (_, text, message) => {
    const path = writeManifest(text);
    expect(() => loadServiceManifest(path)).toThrow(`${path}: ${message}`);
  });

  test("names the file when it is not YAML", () => {
    const path = writeManifest("name: [unclosed\n");
    expect(() => loadServiceManifest(path)).toThrow(`${path}: `);
  });

  test("names the file when it does not exist", () => {
    const path = join(dir, "missing.yaml");
    expect(() => loadServiceManifest(path)).toThrow(path);
  });
});
