<?cs # what is wrong with a form, one item per problem (a broken password
   or username rule): Problems.0, Problems.1, ... ?><?cs if:subcount(Problems) ?><ul class="message problems" role="alert" id="problems"><?cs each:p = Problems ?>
<li><?cs var:p ?></li><?cs /each ?>
</ul><?cs /if ?>
