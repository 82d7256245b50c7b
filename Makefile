# Conventional entry points; each is a thin alias of an npm script (the source of truth).
.PHONY: install gen gen-check build start db test test-unit lint bench ci clean

install:   ## install dependencies exactly as locked
	npm ci --no-audit --no-fund

gen:       ## regenerate packages/proto from proto/ (buf generate + buf build)
	npm run gen

gen-check: ## fail if the committed generated code is stale
	npm run gen:check

build:     ## compile every package (tsc -b, project references)
	npm run build

start:     ## run every service in one process on the embedded database (or DATABASE_URL)
	npm start

db:        ## run only the embedded PostgreSQL on 127.0.0.1:5433
	npm run db

test:      ## lint, generated-code check and every test (what CI runs)
	npm test

test-unit: ## only the jest suites
	npm run test:unit

lint:      ## buf lint, buf format and the type check
	npm run lint

bench:     ## Tags ListTags vs plain pg, and npm start start-up time and memory
	npm run bench

ci:        ## what CI runs on a clean machine (installs and starts PostgreSQL; needs root)
	bash .ci/run

clean:     ## remove build output and the embedded database's data
	rm -rf packages/*/dist services/*/dist bench/dist .data
	find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete
