# End-to-end tests of the innosim binary (label "cli"): exit codes, help texts, a run, output
# that does not depend on the thread count, and an error message for each kind of bad input.
set(CLI_DIR ${PROJECT_SOURCE_DIR}/tests/cli)

function(innosim_cli_test name exit)
  cmake_parse_arguments(ARG "" "STDOUT;STDERR;NOT_STDERR" "ARGS" ${ARGN})
  set(defs -DEXIT=${exit} -DWORKDIR=${PROJECT_SOURCE_DIR})
  list(JOIN ARG_ARGS ";" args)
  if(DEFINED ARG_STDOUT)
    list(APPEND defs "-DSTDOUT=${ARG_STDOUT}")
  endif()
  if(DEFINED ARG_STDERR)
    list(APPEND defs "-DSTDERR=${ARG_STDERR}")
  endif()
  if(DEFINED ARG_NOT_STDERR)
    list(APPEND defs "-DNOT_STDERR=${ARG_NOT_STDERR}")
  endif()
  add_test(NAME cli.${name}
           COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:innosim>;${args}" ${defs} -P ${CLI_DIR}/expect.cmake)
  set_tests_properties(cli.${name} PROPERTIES LABELS "cli;unit" TIMEOUT 600)
endfunction()

innosim_cli_test(help 0 ARGS --help STDOUT "innosim run scenarios/classic/bass-complete.yaml")
innosim_cli_test(version 0 ARGS --version STDOUT "innosim [0-9]+\\.[0-9]+\\.[0-9]+ \\(git ")
innosim_cli_test(run_help 0 ARGS run --help STDOUT "--replicates.*--seed.*--threads")
innosim_cli_test(no_command 2 STDERR "A subcommand is required")
innosim_cli_test(unknown_option 2 ARGS run tests/cli/tiny.yaml --replicate 3 STDERR "--replicate")
innosim_cli_test(run_tiny 0 ARGS run tests/cli/tiny.yaml --quiet
                 STDOUT "final adopters: [0-9,.]+ of 500 .*95 % interval")
innosim_cli_test(run_override 0 ARGS run tests/cli/tiny.yaml --quiet --replicates 3 --seed 9 --steps 7
                 STDOUT "3 replicates of 7 steps, seed 9")
innosim_cli_test(bad_override 2 ARGS run tests/cli/tiny.yaml --replicates 0 STDERR "--replicates 0 must be in")
innosim_cli_test(missing_file 2 ARGS run tests/cli/no-such-file.yaml
                 STDERR "tests/cli/no-such-file.yaml: cannot open \\(No such file or directory\\)")
innosim_cli_test(scenario_check_shipped 0 ARGS scenario check scenarios/classic/bass-complete.yaml
                 scenarios/classic/ic-erdos-renyi.yaml STDOUT "bass-complete.yaml: ok")
innosim_cli_test(scenario_show_resolved 0 ARGS scenario show tests/cli/tiny.yaml --resolved
                 STDOUT "resample_per_replicate: false.*seeding:\n  strategy: random\n  count: 5")

# One bad file per kind of mistake; each must exit 2 and point at file:line:column.
innosim_cli_test(bad_unknown_key 2 ARGS run tests/cli/bad/unknown-key.yaml
                 STDERR "unknown-key.yaml:4:3: unknown key 'mean_degre' in 'graph' \\(did you mean 'mean_degree'\\?\\)")
innosim_cli_test(bad_duplicate_key 2 ARGS run tests/cli/bad/duplicate-key.yaml
                 STDERR "duplicate-key.yaml:5:3: key 'p_transmit' appears twice")
innosim_cli_test(bad_range 2 ARGS run tests/cli/bad/out-of-range.yaml
                 STDERR "out-of-range.yaml:3:15: model.p_transmit = 1.5, must be a probability in \\[0, 1\\]")
innosim_cli_test(bad_nan 2 ARGS run tests/cli/bad/nan.yaml
                 STDERR "nan.yaml:4:25: model.q_imitation_per_step = .nan is not a finite number")
innosim_cli_test(bad_type 2 ARGS run tests/cli/bad/wrong-type.yaml
                 STDERR "wrong-type.yaml:7:10: graph.nodes = 'many' is not a number")
innosim_cli_test(bad_two_documents 2 ARGS run tests/cli/bad/two-documents.yaml
                 STDERR "two-documents.yaml:[0-9]+:1: a scenario file holds one YAML document")
innosim_cli_test(bad_syntax 2 ARGS run tests/cli/bad/syntax.yaml STDERR "syntax.yaml:[0-9]+:[0-9]+: YAML syntax error")
innosim_cli_test(bad_model 2 ARGS run tests/cli/bad/unknown-model.yaml
                 STDERR "unknown-model.yaml:3:9: model.type = 'linear_treshold' is not a known model \\(did you mean 'linear_threshold'\\?\\)")
innosim_cli_test(bad_huge 2 ARGS run tests/cli/bad/huge.yaml STDERR "huge.yaml:[0-9]+:[0-9]+: this run needs about")
innosim_cli_test(bad_edge_list 2 ARGS run tests/cli/bad/bad-edge-list.yaml
                 STDERR "bad-edges.csv:3:3: target id 'x' is not a non-negative integer")
innosim_cli_test(bad_seed_ids 2 ARGS run tests/cli/bad/seed-out-of-range.yaml
                 STDERR "seed-out-of-range.yaml:[0-9]+:[0-9]+: seeding.ids: id 12 is out of range, the graph has nodes 0 .. 3")
# Seeds from a file: on a ring with threshold 1/2 the two seeds (0 and 4) tip everyone.
innosim_cli_test(run_seed_file 0 ARGS run tests/cli/seeds/seed-file.yaml --quiet
                 STDOUT "the 2 agents listed in seeds.txt.*final adopters: 8.0 of 8 ")
innosim_cli_test(bad_seed_file 2 ARGS run tests/cli/seeds/bad-seed-file.yaml
                 STDERR "bad-seeds.txt:4: seed id 4 is listed twice \\(first on line 2\\)")
innosim_cli_test(scenario_show_seed_file 0 ARGS scenario show tests/cli/seeds/seed-file.yaml --resolved
                 STDOUT "seeding:\n  strategy: file\n  path: \"[^\"]*tests/cli/seeds/seeds.txt\"")
innosim_cli_test(bad_check 2 ARGS scenario check tests/cli/tiny.yaml tests/cli/bad/out-of-range.yaml
                 STDOUT "tiny.yaml: ok" STDERR "out-of-range.yaml:3:15")

# The programme model: the built-in baseline with no argument, the shipped scenarios, and each
# kind of mistake in a programme scenario.
innosim_cli_test(run_default_baseline 0 ARGS run --quiet --replicates 2 --years 2
                 STDOUT "scenario baseline \\(\\(embedded\\) scenarios/forkommune/baseline.yaml\\).*Results over 2 years.*innovation projects funded")
innosim_cli_test(run_named_scenario 0 ARGS run no-programme --quiet --replicates 2 --years 1
                 STDOUT "scenario no-programme.*innovation projects funded +0 ")
innosim_cli_test(scenario_list 0 ARGS scenario list
                 STDOUT "adaptive.*arenas-only.*baseline.*broker-boost.*double-budget.*half-budget.*large-consortia.*no-arenas.*no-programme.*pre-project-heavy.*small-municipality-quota")
innosim_cli_test(scenario_check_programme 0 ARGS scenario check scenarios/forkommune/baseline.yaml
                 scenarios/forkommune/adaptive.yaml scenarios/forkommune/large-consortia.yaml
                 STDOUT "adaptive.yaml: ok.*baseline.yaml")
innosim_cli_test(scenario_show_programme_resolved 0 ARGS scenario show scenarios/forkommune/double-budget.yaml --resolved
                 STDOUT "programme:\n.*budget_mnok_per_year: 120 +# MNOK.*run:\n.*warmup_years: 10")
innosim_cli_test(bad_programme_unknown_key 2 ARGS run tests/cli/bad/programme/unknown-key.yaml
                 STDERR "unknown-key.yaml:4:3: unknown key 'budget_mnok_per_yer' in 'programme' \\(did you mean 'budget_mnok_per_year'\\?\\)")
innosim_cli_test(bad_programme_range 2 ARGS run tests/cli/bad/programme/out-of-range.yaml
                 STDERR "out-of-range.yaml:4:31: programme.quota_small_municipalities = 1.5, must be in \\[0, 1\\]")
innosim_cli_test(bad_programme_shares 2 ARGS run tests/cli/bad/programme/shares.yaml
                 STDERR "shares.yaml:4:22: programme shares add up to 1.1")
innosim_cli_test(bad_programme_extends 2 ARGS run tests/cli/bad/programme/missing-base.yaml
                 STDERR "missing-base.yaml:2:10: extends: 'no-such-base.yaml' is neither a file")
innosim_cli_test(bad_rule_indicator 2 ARGS run tests/cli/bad/programme/bad-rule.yaml
                 STDERR "bad-rule.yaml:6:23: rules\\[0\\].indicator = 'small_leader_share' is not a rule indicator")
innosim_cli_test(bad_rule_lever 2 ARGS run tests/cli/bad/programme/rule-not-a-lever.yaml
                 STDERR "rule-not-a-lever.yaml:6:16: rules\\[0\\].set = 'owners.staff_fte_max' is not a policy lever")
innosim_cli_test(bad_rule_condition 2 ARGS run tests/cli/bad/programme/rule-both.yaml
                 STDERR "rule-both.yaml:5:11: rules\\[0\\].when needs exactly one of below and above")
innosim_cli_test(bad_rule_shares 2 ARGS run tests/cli/bad/programme/rule-shares.yaml
                 STDERR "rule-shares.yaml:[0-9]+:[0-9]+: after the rules fire, the programme shares add up to 1.1")
innosim_cli_test(bad_programme_data 2 ARGS run tests/cli/bad/programme/bad-data.yaml
                 STDERR "bad-municipalities.csv:4:28: population = 'lots' is not a number")

# National programmes (DOMAIN.md §5.9): strict like every scenario key.
innosim_cli_test(bad_national_key 2 ARGS run tests/cli/bad/programme/national-unknown-key.yaml
                 STDERR "national-unknown-key.yaml:17:7: unknown key 'guidence' in 'national_programmes\\[0\\].brings' \\(did you mean 'guidance'\\?\\)")
innosim_cli_test(bad_national_date 2 ARGS run tests/cli/bad/programme/national-bad-date.yaml
                 STDERR "national-bad-date.yaml:12:14: national_programmes\\[0\\].spread.start is '2016-13'; expected a year and month such as 2017-06")
innosim_cli_test(bad_national_code 2 ARGS scenario check tests/cli/bad/programme/national-unknown-code.yaml
                 STDERR "national-unknown-code.yaml:9:23: national_programmes\\[0\\].development.municipalities names '9999', which is not a municipality code")
innosim_cli_test(bad_national_domain 2 ARGS run tests/cli/bad/programme/national-unknown-domain.yaml
                 STDERR "national-unknown-domain.yaml:6:15: national_programmes\\[0\\].innovation.domain is 'helth_care' \\(did you mean 'health_care'\\?\\)")
innosim_cli_test(bad_national_dates 2 ARGS run tests/cli/bad/programme/national-early.yaml
                 STDERR "national-early.yaml:10:14: national_programmes\\[0\\].development.start = 2010-01, is before the run starts \\(run.start_year = 2013\\)")
innosim_cli_test(run_welfare_technology 0 ARGS run welfare-technology -r 4 --quiet
                 STDOUT "National programme 'welfare-technology'.*2021 .*50 %: reached")

add_test(NAME cli.same_output_any_threads
         COMMAND ${CMAKE_COMMAND} -DINNOSIM=$<TARGET_FILE:innosim> -DSCENARIO=tests/cli/tiny.yaml
                 -DWORKDIR=${PROJECT_SOURCE_DIR} -DOUTDIR=${CMAKE_CURRENT_BINARY_DIR} -P ${CLI_DIR}/same_output.cmake)
set_tests_properties(cli.same_output_any_threads PROPERTIES LABELS "cli;parallel" TIMEOUT 600)

# --timing on run (classic, with an edge list and a seed file; programme), compare and sweep.
foreach(case
    "run_classic|run tests/cli/seeds/seed-file.yaml"
    "run_programme|run baseline --replicates 2 --years 1"
    "compare|compare baseline no-programme --replicates 2 --years 1 --no-output"
    "sweep|sweep tests/sweep/small.yaml -o ${CMAKE_CURRENT_BINARY_DIR}/timing_sweep.h5")
  string(REPLACE "|" ";" parts "${case}")
  list(GET parts 0 name)
  list(GET parts 1 args)
  add_test(NAME cli.timing_${name}
           COMMAND ${CMAKE_COMMAND} -DINNOSIM=$<TARGET_FILE:innosim> "-DARGS=${args}" -DNAME=${name}
                   -DWORKDIR=${PROJECT_SOURCE_DIR} -DOUTDIR=${CMAKE_CURRENT_BINARY_DIR} -P ${CLI_DIR}/timing.cmake)
  set_tests_properties(cli.timing_${name} PROPERTIES LABELS "cli;unit" TIMEOUT 600)
endforeach()

add_test(NAME cli.parameters_doc_up_to_date
         COMMAND ${CMAKE_COMMAND} -DINNOSIM=$<TARGET_FILE:innosim> -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                 -DOUTDIR=${CMAKE_CURRENT_BINARY_DIR} -P ${CLI_DIR}/parameters_doc.cmake)
set_tests_properties(cli.parameters_doc_up_to_date PROPERTIES LABELS "cli;unit" TIMEOUT 60)

add_test(NAME cli.same_output_any_threads_programme
         COMMAND ${CMAKE_COMMAND} -DINNOSIM=$<TARGET_FILE:innosim> -DSCENARIO=adaptive
                 "-DEXTRA=--replicates 6 --years 6" -DWORKDIR=${PROJECT_SOURCE_DIR}
                 -DOUTDIR=${CMAKE_CURRENT_BINARY_DIR} -P ${CLI_DIR}/same_output.cmake)
set_tests_properties(cli.same_output_any_threads_programme PROPERTIES LABELS "cli;parallel" TIMEOUT 600)
innosim_cli_test(scenario_show_programme_as_written 0 ARGS scenario show scenarios/forkommune/adaptive.yaml
                 STDOUT "^description: >-\n  A programme that learns.*extends: baseline.yaml\nrules:")

# The sweeps shipped in scenarios/sweeps/ load, validate every point and show their designs.
foreach(sweep budget-and-diffusion sobol-levers morris-screening budget-grid instrument-mix)
  innosim_cli_test(sweep_example_${sweep} 0 ARGS sweep scenarios/sweeps/${sweep}.yaml -o /nonexistent/x.h5 --dry-run
                   STDOUT "points x [0-9]+ replicates = [0-9]+ runs.*dry run: nothing was run")
endforeach()
innosim_cli_test(sweep_bad_shard 2 ARGS sweep scenarios/sweeps/budget-grid.yaml -o x.h5 --shard 3/3
                 STDERR "--shard 3/3: the index must be below the count")
innosim_cli_test(sweep_no_directory 2 ARGS sweep scenarios/sweeps/budget-grid.yaml -o /nonexistent/dir/x.h5
                 STDERR "the directory /nonexistent/dir does not exist")

# Found by fuzzing (tools/fuzz): a list design without points is refused, not a crash.
innosim_cli_test(sweep_list_without_points 2 ARGS sweep tests/cli/bad/sweep/list-without-points.yaml -o x.h5 --dry-run
                 STDERR "list-without-points.yaml:6:3: .*design.points is required for a list design")
